/**
 * Sign-up and sign-in with email and password. Failures are FormErrors naming the fields
 * they belong to, so pages show each message next to its field. Registration writes the
 * account, its address, the confirmation link and the mail carrying it in one transaction.
 */
import { describeValidity, type ConfirmationService } from "../confirmation/index.js";
import type { EventRecorder } from "../jobs/index.js";
import { FormError } from "../shared/index.js";
import { normalizeEmail } from "./normalize-email.js";
import { nameProblem } from "./profile.js";
import { hashPassword, spendVerificationTime, verifyPassword } from "./password.js";
import { AddressTakenError, type AccountRepository } from "./repository.js";
import type { Account, MailSender, RegistrationInput } from "./types.js";

/** NIST SP 800-63B §5.1.1: at least 8 characters, and accept at least 64. */
export const passwordLength = { min: 8, max: 256 } as const;
const emailShape = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function emailProblem(address: string): string | undefined {
  return emailShape.test(address) && address.length <= 254 ? undefined : "Enter an email address like name@example.com.";
}

export function passwordProblem(password: string): string | undefined {
  if (password.length < passwordLength.min) return `Use at least ${passwordLength.min} characters.`;
  if (password.length > passwordLength.max) return `Use at most ${passwordLength.max} characters.`;
  return undefined;
}

function registrationProblems(input: RegistrationInput): Record<string, string> {
  const problems: Record<string, string> = {};
  const name = nameProblem(input.name);
  if (name) problems.name = name;
  const email = emailProblem(input.email);
  if (email) problems.email = email;
  const password = passwordProblem(input.password);
  if (password) problems.password = password;
  return problems;
}

export function createAccountService(deps: { repo: AccountRepository; confirmations: ConfirmationService; mail: MailSender; events: EventRecorder }) {
  const { repo, confirmations, mail, events } = deps;
  return {
    findById: (id: string) => repo.findById(id),

    async register(input: RegistrationInput): Promise<Account> {
      const name = input.name.trim();
      const address = input.email.trim();
      const problems = registrationProblems({ name, email: address, password: input.password });
      if (Object.keys(problems).length) throw new FormError(problems);
      const passwordHash = await hashPassword(input.password);
      try {
        const account = await repo.transaction(async (tx) => {
          const created = await repo.create(tx, { name, address, normalized: normalizeEmail(address), passwordHash });
          const link = await confirmations.create(tx, { intent: "registration", objectId: created.emailId });
          await mail.enqueue(tx, {
            to: address,
            template: "registration",
            variables: { name, link: link.url, expiresIn: describeValidity("registration") },
          });
          await events.record(tx, { type: "account.registered", accountId: created.account.id, email: address });
          return created.account;
        });
        return account;
      } catch (error) {
        if (error instanceof AddressTakenError) {
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
      const owned = await repo.findOwnedEmail(normalizeEmail(email));
      const valid = owned?.passwordHash
        ? await verifyPassword(owned.passwordHash, password)
        : (await spendVerificationTime(password), false);
      const account = valid && owned ? await repo.findById(owned.accountId) : undefined;
      if (!account) throw new FormError({ password: "That email and password do not match an account." }, 401);
      return account;
    },
  };
}

export type AccountService = ReturnType<typeof createAccountService>;
