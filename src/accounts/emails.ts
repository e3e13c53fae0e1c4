/**
 * Several addresses per account. Rules:
 * - an address is added unverified and a link is sent to it; only clicking it makes the
 *   address the account's (verified, and unique across accounts);
 * - adding an address another account owns looks exactly like a successful add (no leak of
 *   who has it: the address is listed as awaiting confirmation, as any other), changes
 *   nothing for the owner, and tells the owner by mail instead of sending a link;
 * - the primary address can only be a verified one, and cannot be removed;
 * - changing one's email is: add, verify, make primary.
 */
import { describeValidity, type ConfirmationService, type Tx } from "../confirmation/index.js";
import type { EventRecorder } from "../jobs/index.js";
import { type Clock, AppError, FormError } from "../shared/index.js";
import { normalizeEmail } from "./normalize-email.js";
import { AddressTakenError, type AccountRepository } from "./repository.js";
import { emailProblem } from "./input-rules.js";
import type { EmailAddress, MailSender } from "./types.js";

export class EmailRuleError extends AppError {}

export function createEmailService(deps: { repo: AccountRepository; confirmations: ConfirmationService; mail: MailSender; events: EventRecorder; clock: Clock }) {
  const { repo, confirmations, mail, events, clock } = deps;

  async function ownEmail(userId: string, emailId: string) {
    const email = await repo.findEmail(emailId);
    if (!email || email.userId !== userId) throw new EmailRuleError("accounts.email_not_found", "That address is not on your account.", 404);
    return email;
  }

  /** The registration address confirms with the registration intent; added ones with add-email. */
  const intentFor = (email: { owned: boolean }) => (email.owned ? ("registration" as const) : ("add-email" as const));

  /** `interactionUid`: the sign-in that asked for the link, which the link may continue (none from the account page). */
  async function sendVerification(tx: Tx, email: { id: string; address: string; owned: boolean; normalized: string }, name: string, interactionUid?: string) {
    if (!email.owned && (await repo.isOwned(email.normalized, tx))) {
      await mail.enqueue(tx, { to: email.address, template: "address-in-use", variables: { address: email.address } });
      return;
    }
    const intent = intentFor(email);
    const link = await confirmations.create(tx, { intent, objectId: email.id, payload: { interactionUid } });
    await mail.enqueue(tx, {
      to: email.address,
      template: intent,
      variables: { name, address: email.address, link: link.url, expiresIn: describeValidity(intent) },
    });
  }

  return {
    list: (userId: string): Promise<EmailAddress[]> => repo.listEmails(userId),

    async add(userId: string, input: string): Promise<{ address: string }> {
      const address = input.trim();
      const problem = emailProblem(address);
      if (problem) throw new FormError({ email: problem });
      const normalized = normalizeEmail(address);
      if (await repo.hasAddress(userId, normalized)) throw new FormError({ email: "This address is already on your account." }, 409);
      const account = await repo.findById(userId);
      if (!account) throw new EmailRuleError("accounts.not_found", "Your account no longer exists.", 404);
      const added = await repo.transaction(async (tx) => {
        const emailId = await repo.addEmail(tx, userId, address, normalized);
        if (!emailId) return false;
        await sendVerification(tx, { id: emailId, address, owned: false, normalized }, account.name);
        await events.record(tx, { type: "account.email-added", accountId: userId, email: address });
        return true;
      });
      if (!added) throw new FormError({ email: "This address is already on your account." }, 409);
      return { address };
    },

    async resendVerification(userId: string, emailId: string, context: { interactionUid?: string } = {}): Promise<{ address: string }> {
      const email = await ownEmail(userId, emailId);
      if (email.verified) throw new EmailRuleError("accounts.already_verified", "This address is already verified.", 409);
      const account = await repo.findById(userId);
      await repo.transaction(async (tx) => {
        await confirmations.assertMaySend(intentFor(email), email.id, tx);
        await sendVerification(tx, email, account?.name ?? "", context.interactionUid);
      });
      return { address: email.address };
    },

    /** Runs inside the transaction that redeems the link. Returns the account it verified for. */
    async verify(tx: Tx, emailId: string): Promise<{ userId: string; address: string }> {
      const email = await repo.findEmail(emailId, tx);
      if (!email) throw new EmailRuleError("accounts.email_removed", "This address was removed from its account, so there is nothing to confirm.", 410);
      try {
        await repo.verifyEmail(tx, emailId, clock.now());
      } catch (error) {
        if (error instanceof AddressTakenError) {
          throw new EmailRuleError("accounts.email_taken", "This address now belongs to another account, so it cannot be added to this one. Sign in with it instead.", 409);
        }
        throw error;
      }
      if (!email.verified) {
        await events.record(tx, { type: "account.email-verified", accountId: email.userId, email: email.address });
        // The registration address is already primary: confirming it changes email_verified.
        if (email.primary) await events.record(tx, { type: "account.primary-email-changed", accountId: email.userId, email: email.address, emailVerified: true });
      }
      return { userId: email.userId, address: email.address };
    },

    async remove(userId: string, emailId: string): Promise<{ address: string }> {
      const email = await ownEmail(userId, emailId);
      if (email.primary) {
        throw new EmailRuleError("accounts.remove_primary", "This is your primary address. Make another verified address primary first.", 409);
      }
      await repo.transaction(async (tx) => {
        await confirmations.revokeAll(tx, "add-email", emailId);
        await repo.deleteEmail(tx, emailId);
        await events.record(tx, { type: "account.email-removed", accountId: userId, email: email.address });
      });
      return { address: email.address };
    },

    async makePrimary(userId: string, emailId: string): Promise<{ address: string }> {
      const email = await ownEmail(userId, emailId);
      if (!email.verified || !email.owned) {
        throw new EmailRuleError("accounts.primary_unverified", "Confirm this address first: only a verified address can be primary.", 409);
      }
      if (!email.primary) {
        const previous = (await repo.listEmails(userId)).find((candidate) => candidate.primary);
        await repo.transaction(async (tx) => {
          await repo.makePrimary(tx, userId, emailId);
          await events.record(tx, {
            type: "account.primary-email-changed",
            accountId: userId,
            email: email.address,
            emailVerified: true,
            ...(previous && { previousEmail: previous.address }),
          });
        });
      }
      return { address: email.address };
    },
  };
}

export type EmailService = ReturnType<typeof createEmailService>;
