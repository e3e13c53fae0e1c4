/**
 * Accounts made by other login methods, and sign-in with email and password (registration
 * with a password is registration.ts). Failures are FormErrors naming the fields they
 * belong to, so pages show each message next to its field.
 * A successful sign-in whose stored hash was made with older argon2 parameters stores a
 * new hash with the current ones (password.ts).
 */
import { describeValidity, type ConfirmationService, type Tx } from "../confirmation/index.js";
import type { EventRecorder } from "../jobs/index.js";
import { FormError } from "../shared/index.js";
import { emailProblem, nameProblem } from "./input-rules.js";
import { normalizeEmail } from "./normalize-email.js";
import type { Passwords } from "./password.js";
import { AddressTakenError, type AccountRepository } from "./repository.js";
import type { Account, MailSender } from "./types.js";

export function createAccountService(deps: { repo: AccountRepository; confirmations: ConfirmationService; mail: MailSender; events: EventRecorder; passwords: Passwords }) {
  const { repo, confirmations, mail, events, passwords } = deps;
  return {
    findById: (id: string) => repo.findById(id),

    /** The length rule, for the hint next to password fields. */
    passwordLength: passwords.length,

    /**
     * An account proved by another login method (a wallet signature): no password. `email`,
     * if given, is its primary address, unverified until the registration link (sent in the
     * same transaction) is used; the link continues only the sign-in `interactionUid`.
     * `attach` records the method's own credential in that transaction, so the account never
     * exists without it.
     */
    async registerWithoutPassword(
      input: { name: string; email?: string; interactionUid?: string },
      attach: (tx: Tx, accountId: string) => Promise<void>,
    ): Promise<Account> {
      const name = input.name.trim();
      const address = input.email?.trim() || undefined;
      const problems: Record<string, string> = {};
      const nameIssue = nameProblem(name);
      if (nameIssue) problems.name = nameIssue;
      const emailIssue = address === undefined ? undefined : emailProblem(address);
      if (emailIssue) problems.email = emailIssue;
      if (Object.keys(problems).length) throw new FormError(problems);
      try {
        return await repo.transaction(async (tx) => {
          const created = await repo.createWithoutPassword(tx, { name, email: address ? { address, normalized: normalizeEmail(address) } : undefined });
          if (address && created.emailId) {
            const link = await confirmations.create(tx, { intent: "registration", objectId: created.emailId, payload: { interactionUid: input.interactionUid } });
            await mail.enqueue(tx, { to: address, template: "registration", variables: { name, link: link.url, expiresIn: describeValidity("registration") } });
          }
          await events.record(tx, { type: "account.registered", accountId: created.account.id, ...(address && { email: address }) });
          await attach(tx, created.account.id);
          return created.account;
        });
      } catch (error) {
        if (error instanceof AddressTakenError) throw new FormError({ email: "An account with this email already exists. Sign in instead." }, 409);
        throw error;
      }
    },

    /** Whether the account can also sign in with email and password (so another method may be removed). */
    canUsePassword: (accountId: string, tx?: Tx) => repo.canUsePassword(accountId, tx),

    /**
     * Answers the account, or one error for both unknown email and wrong password. Either
     * way the attempt is recorded (ASVS 5.0 16.3.1): for the account when the address names
     * one; for an unknown address with what was typed (only if it has an address's shape,
     * so a password typed into the email field is never kept) and nothing created for it.
     * `clientId`: the application the sign-in is for.
     */
    async authenticate(email: string, password: string, attempt: { clientId?: string } = {}): Promise<Account> {
      if (!email.trim() || !password) {
        throw new FormError({
          ...(!email.trim() && { email: "Enter your email address." }),
          ...(!password && { password: "Enter your password." }),
        });
      }
      const normalized = normalizeEmail(email);
      const owned = await repo.findOwnedEmail(normalized);
      const valid = owned?.passwordHash
        ? await passwords.verify(owned.passwordHash, password)
        : (await passwords.spendVerificationTime(password), false);
      const account = valid && owned ? await repo.findById(owned.accountId) : undefined;
      const clientId = attempt.clientId && { clientId: attempt.clientId };
      await repo.transaction((tx) =>
        account
          ? events.record(tx, { type: "account.signed-in", accountId: account.id, method: "password", ...clientId })
          : events.record(tx, {
              type: "account.sign-in-failed",
              method: "password",
              ...(owned ? { accountId: owned.accountId, reason: "wrong-password" } : { reason: "unknown-account" }),
              ...(!emailProblem(email.trim()) && { identifier: normalized }),
              ...clientId,
            }),
      );
      if (!account) throw new FormError({ password: "That email and password do not match an account." }, 401);
      if (owned?.passwordHash && passwords.needsRehash(owned.passwordHash)) {
        // Only if the hash is still the one just verified: a reset in between wins.
        await repo.replacePasswordHash(account.id, owned.passwordHash, await passwords.hash(password));
      }
      return account;
    },
  };
}

export type AccountService = ReturnType<typeof createAccountService>;
