export { standardClaims, claimsByScope } from "./claims.js";
export { createAccountRepository, type AccountRepository } from "./repository.js";
export { createAccountService, passwordLength, type AccountService } from "./service.js";
export type { Account, RegistrationInput } from "./types.js";
