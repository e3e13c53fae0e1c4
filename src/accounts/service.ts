/**
 * Sign-up and sign-in with email and password. Failures are AppErrors naming the form field
 * they belong to, so pages can show the message next to it.
 */
import { FormError } from "../shared/errors.js";
import { normalizeEmail } from "./normalize-email.js";
import { hashPassword, spendVerificationTime, verifyPassword } from "./password.js";
import { EmailTakenError, type AccountRepository } from "./repository.js";
import type { Account, RegistrationInput } from "./types.js";

/** NIST SP 800-63B §5.1.1: at least 8 characters, and accept at least 64. */
export const passwordLength = { min: 8, max: 256 } as const;
const emailShape = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function registrationProblems(input: RegistrationInput): Record<string, string> {
  const problems: Record<string, string> = {};
  if (!input.name) problems.name = "Enter your name.";
  else if (input.name.length > 200) problems.name = "Use at most 200 characters.";
  if (!emailShape.test(input.email) || input.email.length > 254) problems.email = "Enter an email address like name@example.com.";
  if (input.password.length < passwordLength.min) problems.password = `Use at least ${passwordLength.min} characters.`;
  else if (input.password.length > passwordLength.max) problems.password = `Use at most ${passwordLength.max} characters.`;
  return problems;
}

export function createAccountService(repo: AccountRepository) {
  return {
    findById: (id: string) => repo.findById(id),

    async register(input: RegistrationInput): Promise<Account> {
      const name = input.name.trim();
      const address = input.email.trim();
      const problems = registrationProblems({ name, email: address, password: input.password });
      if (Object.keys(problems).length) throw new FormError(problems);
      try {
        return await repo.create({ name, address, normalized: normalizeEmail(address), passwordHash: await hashPassword(input.password) });
      } catch (error) {
        if (error instanceof EmailTakenError) {
          throw new FormError({ email: "An account with this email already exists. Sign in instead." }, 409);
        }
        throw error;
      }
    },

    /** Answers the account, or one error for both unknown email and wrong password. */
    async authenticate(email: string, password: string): Promise<Account> {
      if (!email.trim() || !password) {
        throw new FormError({
          ...(!email.trim() && { email: "Enter your email address." }),
          ...(!password && { password: "Enter your password." }),
        });
      }
      const credentials = await repo.findCredentialsByEmail(normalizeEmail(email));
      const valid = credentials?.passwordHash
        ? await verifyPassword(credentials.passwordHash, password)
        : (await spendVerificationTime(password), false);
      const account = valid && credentials ? await repo.findById(credentials.accountId) : undefined;
      if (!account) throw new FormError({ password: "That email and password do not match an account." }, 401);
      return account;
    },
  };
}

export type AccountService = ReturnType<typeof createAccountService>;
