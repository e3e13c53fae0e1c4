/**
 * Password reset by link. Asking always answers the same way — unknown address, too many
 * requests or not — so the form does not reveal which addresses have accounts.
 * A successful reset takes back everything issued for the account (sessions but the
 * resetting browser's, grants, access and refresh tokens, codes, device codes): whoever
 * knew the old password keeps no way in (ASVS 5.0 7.4.3: sessions end when the password
 * changes; the README promises "signed out everywhere else").
 *
 * An address held before its owner arrives: anyone can register someone else's address
 * and, without confirming it, sign in to applications that do not ask for a verified
 * address. Tessera's answer is that the verified owner's claim evicts the unverified
 * holder. Using a reset link proves the mailbox it was sent to; when that address had
 * never been confirmed, whoever held the account until then was not (known to be) its
 * owner, so beyond the revocation above:
 * - the address becomes confirmed (the link proved it) and the account's primary;
 * - every other address on the account is removed, confirmed or not: the holder could
 *   have added one of their own, confirmed it (even made it primary) and would reset the
 *   password through it to come back; every linked wallet is unlinked, for the same
 *   reason (a wallet sign-up may give an address it never confirms).
 * The reset link goes to the address that was asked for, so the holder's switch of the
 * primary does not keep the owner out: any address the account registered with stays the
 * account's (`owned`) and can ask for a link. We chose this over refusing tokens to every unconfirmed account because applications that
 * do not need a verified address keep working for people who confirm later, while the
 * takeover still ends with the owner holding everything and the holder nothing.
 */
import { describeValidity, TooManyLinksError, type ConfirmationService, type Tx } from "../confirmation/index.js";
import { exponentialDelay, jobType, type EventRecorder, type JobHandler, type JobQueue } from "../jobs/index.js";
import { type Clock, FormError, type Logger } from "../shared/index.js";
import { normalizeEmail } from "./normalize-email.js";
import { emailProblem } from "./input-rules.js";
import type { Passwords } from "./password.js";
import type { AccountRepository } from "./repository.js";
import type { MailSender } from "./types.js";

/** How long after the answer the lookup runs (see `request`). */
const requestDelayMs = 1000;

export type PasswordResetRequest = { address: string; interactionUid: string | null };

/** A reset link was asked for: the job that looks the address up and sends the link. */
export const passwordResetRequested = jobType<PasswordResetRequest>("accounts.password-reset-requested");

export function createPasswordResetService(deps: {
  repo: AccountRepository;
  confirmations: ConfirmationService;
  mail: MailSender;
  events: EventRecorder;
  jobs: JobQueue;
  clock: Clock;
  passwords: Passwords;
  /**
   * Removes the account's other ways to sign in (linked wallets), in the given transaction:
   * called when the owner of a never-confirmed address takes the account (see above).
   */
  dropOtherSignIns: (tx: Tx, accountId: string) => Promise<void>;
  /** Revokes every session (but `keepSession`), grant and token of the account, in the given transaction. */
  revokeAccess: (tx: Tx, accountId: string, keepSession?: string) => Promise<void>;
}) {
  const { repo, confirmations, mail } = deps;

  /** The mailbox of `emailId` was just proven: if it never had been, the account becomes its owner's alone (see above). */
  async function claimAddress(tx: Tx, accountId: string, emailId: string): Promise<void> {
    const email = await repo.findEmail(emailId, tx);
    if (!email || email.userId !== accountId || email.verified) return;
    await repo.verifyEmail(tx, emailId, deps.clock.now());
    await deps.events.record(tx, { type: "account.email-verified", accountId, email: email.address });
    for (const other of await repo.listEmails(accountId, tx)) {
      if (other.id === emailId) continue;
      await confirmations.revokeAll(tx, "add-email", other.id);
      await repo.deleteEmail(tx, other.id);
      await deps.events.record(tx, { type: "account.email-removed", accountId, email: other.address });
    }
    await deps.dropOtherSignIns(tx, accountId);
    await repo.makePrimary(tx, accountId, emailId);
    await deps.events.record(tx, { type: "account.primary-email-changed", accountId, email: email.address, emailVerified: true });
  }

  return {
    /** The length rule, for the hint next to the new password's field. */
    passwordLength: deps.passwords.length,

    /**
     * Asking for a link does the same work whatever the address: check its shape and queue
     * one job. Looking the address up, the per-account link limit, the link and the mail all
     * happen in the job (`sendLink`), so neither the answer nor its time says whether the
     * address has an account (ASVS 5.0 6.3.8; bench/account-enumeration.ts measures it).
     */
    async request(input: string, context: { interactionUid?: string } = {}): Promise<{ address: string }> {
      const address = input.trim();
      const problem = emailProblem(address);
      if (problem) throw new FormError({ email: problem });
      // Due a moment later, not at once: run straight after the commit, the known address's
      // heavier job would compete with this very answer for the process and the database.
      const runAt = new Date(deps.clock.now().getTime() + requestDelayMs);
      await repo.transaction((tx) => deps.jobs.enqueue(tx, passwordResetRequested, { address, interactionUid: context.interactionUid ?? null }, { runAt }));
      return { address };
    },

    /** The job behind `request`: a link for the address's account, if it has one and may get another now. */
    async sendLink(payload: PasswordResetRequest, log: Logger): Promise<void> {
      const owned = await repo.findOwnedEmail(normalizeEmail(payload.address));
      if (!owned) return;
      await repo.transaction(async (tx) => {
        // One request at a time per account, so two at once cannot both pass the link limit.
        await repo.lockUser(tx, owned.accountId);
        try {
          await confirmations.assertMaySend("password-reset", owned.accountId, tx);
        } catch (error) {
          // Too soon after the last link: the earlier mail is still on its way.
          if (!(error instanceof TooManyLinksError)) throw error;
          log.info({ accountId: owned.accountId }, "password reset link not sent: one was sent moments ago");
          return;
        }
        const link = await confirmations.create(tx, {
          intent: "password-reset",
          objectId: owned.accountId,
          payload: { emailId: owned.emailId, interactionUid: payload.interactionUid ?? undefined },
        });
        await mail.enqueue(tx, {
          to: owned.address,
          template: "password-reset",
          variables: { name: owned.name, link: link.url, expiresIn: describeValidity("password-reset") },
        });
      });
    },

    /**
     * Sets the new password and uses the link up in one transaction, revoking everything
     * issued for the account but `keepSession` (the browser doing the reset).
     */
    async reset(key: string, password: string, keepSession?: string): Promise<{ accountId: string; interactionUid?: string }> {
      const problem = deps.passwords.problem(password);
      if (problem) throw new FormError({ password: problem });
      const passwordHash = await deps.passwords.hash(password);
      return confirmations.redeem(key, ["password-reset"], async (confirmation, tx) => {
        await repo.setPassword(tx, confirmation.objectId, passwordHash);
        await deps.revokeAccess(tx, confirmation.objectId, keepSession);
        if (confirmation.payload.emailId) await claimAddress(tx, confirmation.objectId, confirmation.payload.emailId);
        await deps.events.record(tx, { type: "account.password-changed", accountId: confirmation.objectId, via: "reset" });
        await deps.events.record(tx, { type: "account.sessions-ended", accountId: confirmation.objectId, reason: "password-reset" });
        return { accountId: confirmation.objectId, interactionUid: confirmation.payload.interactionUid };
      });
    },
  };
}

export type PasswordResetService = ReturnType<typeof createPasswordResetService>;

/**
 * How a request job that answers by mail (a reset, a registration) is retried: like mail, as
 * the work is a lookup and a few writes, and the mail job retries on its own.
 */
export const mailRequestRetry = { maxAttempts: 8, leaseSeconds: 60, retryDelaySeconds: exponentialDelay(5) };

export function passwordResetRequestHandler(service: PasswordResetService): JobHandler<PasswordResetRequest> {
  return { ...mailRequestRetry, run: (payload, { log }) => service.sendLink(payload, log) };
}
