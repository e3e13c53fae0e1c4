export { standardClaims, claimsByScope } from "./claims.js";
export type { ClaimContributor } from "./claim-contributor.js";
export { createEmailService, EmailRuleError, type EmailService } from "./emails.js";
export { createPasswordResetService, passwordResetRequested, passwordResetRequestHandler, type PasswordResetService } from "./password-reset.js";
export { createAccountRepository, type AccountRepository } from "./repository.js";
export { createAccountService, type AccountService } from "./service.js";
export { createPasswords, type PasswordSettings, type Passwords } from "./password.js";
export { createPasswordChange, type PasswordChange } from "./password-change.js";
export type { Account, EmailAddress, MailSender, RegistrationInput } from "./types.js";
export { mountAccountRoutes } from "./http/account-routes.js";
export { homePaths, mountHomeRoutes } from "./http/home-routes.js";
export { accountPaths, passwordPaths } from "./http/paths.js";
export { emailConfirmationHandlers, passwordResetHandler, signUpHandler } from "./http/confirmation-handlers.js";
export {
  AddressRegisteredError,
  createRegistrationService,
  newBrowserValue,
  purgeRegistrations,
  purgeRegistrationsHandler,
  registrationBrowserCookie,
  registrationRequested,
  registrationRequestHandler,
  type RegistrationService,
} from "./registration.js";
export { createRegistrationRepository, type PendingRegistration, type RegistrationRepository } from "./registration-repository.js";
export { mountPasswordRoutes } from "./http/password-routes.js";
export type { SignedInSession } from "./http/session.js";
export type { AccountPanel, AccountPageRenderer } from "./http/account-ports.js";
export type { AccountContext, AccountRouter, SignedIn } from "./http/signed-in.js";
export { signedInOnly } from "./http/signed-in.js";
export { createTermsService, createTermsVersions, type Terms, type TermsService } from "./terms.js";
export { createProfileService, type ProfileService } from "./profile.js";
export { emailProblem, nameProblem } from "./input-rules.js";
export { createProfileRepository } from "./profile-repository.js";
export { createScopeWords, scopeWords, type ScopeWords } from "./scope-words.js";
export { createNameWriter, type NameWriter } from "./name-writer.js";
export { createConfirmedAddressAccounts, UnconfirmedHolderError, type ConfirmedAddressAccounts } from "./confirmed-address.js";
