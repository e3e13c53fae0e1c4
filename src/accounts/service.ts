/**
 * Sign-up and sign-in with email and password. Failures are AppErrors naming the form field
 * they belong to, so pages can show the message next to it.
 */
import { AppError, assertThat } from "../shared/errors.js";
import { normalizeEmail } from "./normalize-email.js";
import { hashPassword, spendVerificationTime, verifyPassword } from "./password.js";
import { EmailTakenError, type AccountRepository } from "./repository.js";
import type { Account, RegistrationInput } from "./types.js";

/** NIST SP 800-63B §5.1.1: at least 8 characters, and accept at least 64. */
export const passwordLength = { min: 8, max: 256 } as const;
const emailShape = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function createAccountService(repo: AccountRepository) {
  return {
    findById: (id: string) => repo.findById(id),

    async register(input: RegistrationInput): Promise<Account> {
      const name = input.name.trim();
      const address = input.email.trim();
      assertThat(name.length > 0, "accounts.name_missing", "Enter your name.", { field: "name" });
      assertThat(name.length <= 200, "accounts.name_too_long", "Use at most 200 characters.", { field: "name" });
      assertThat(emailShape.test(address) && address.length <= 254, "accounts.email_invalid",
        "Enter an email address like name@example.com.", { field: "email" });
      assertThat(input.password.length >= passwordLength.min, "accounts.password_too_short",
        `Use at least ${passwordLength.min} characters.`, { field: "password" });
      assertThat(input.password.length <= passwordLength.max, "accounts.password_too_long",
        `Use at most ${passwordLength.max} characters.`, { field: "password" });
      try {
        return await repo.create({ name, address, normalized: normalizeEmail(address), passwordHash: await hashPassword(input.password) });
      } catch (error) {
        if (error instanceof EmailTakenError) {
          throw new AppError("accounts.email_taken", "An account with this email already exists. Sign in instead.", 409, "email");
        }
        throw error;
      }
    },

    /** Answers the account, or one error for both unknown email and wrong password. */
    async authenticate(email: string, password: string): Promise<Account> {
      const credentials = await repo.findCredentialsByEmail(normalizeEmail(email));
      const valid = credentials?.passwordHash
        ? await verifyPassword(credentials.passwordHash, password)
        : (await spendVerificationTime(password), false);
      const account = valid && credentials ? await repo.findById(credentials.accountId) : undefined;
      if (!account) throw new AppError("accounts.invalid_credentials", "That email and password do not match an account.", 401, "password");
      return account;
    },
  };
}

export type AccountService = ReturnType<typeof createAccountService>;
