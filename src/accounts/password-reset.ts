/**
 * Password reset by link. Asking always answers the same way — unknown address, too many
 * requests or not — so the form does not reveal which addresses have accounts. A successful reset ends the account's other sessions:
 * whoever knew the old password is signed out.
 */
import { describeValidity, TooManyLinksError, type ConfirmationService, type Tx } from "../confirmation/index.js";
import type { EventRecorder } from "../jobs/index.js";
import { FormError } from "../shared/index.js";
import { normalizeEmail } from "./normalize-email.js";
import { hashPassword } from "./password.js";
import type { AccountRepository } from "./repository.js";
import { emailProblem, passwordProblem } from "./service.js";
import type { MailSender } from "./types.js";

export function createPasswordResetService(deps: {
  repo: AccountRepository;
  confirmations: ConfirmationService;
  mail: MailSender;
  events: EventRecorder;
  endSessions: (tx: Tx, accountId: string, except?: string) => Promise<void>;
}) {
  const { repo, confirmations, mail } = deps;
  return {
    async request(input: string, context: { interactionUid?: string } = {}): Promise<{ address: string }> {
      const address = input.trim();
      const problem = emailProblem(address);
      if (problem) throw new FormError({ email: problem });
      const owned = await repo.findOwnedEmail(normalizeEmail(address));
      if (!owned) return { address };
      // Too soon after the last link: say the same as always (a refusal would reveal that the
      // address has an account); the earlier mail is still on its way.
      const allowed = await confirmations.assertMaySend("password-reset", owned.accountId).then(
        () => true,
        (error: unknown) => {
          if (error instanceof TooManyLinksError) return false;
          throw error;
        },
      );
      if (!allowed) return { address };
      await repo.transaction(async (tx) => {
        const link = await confirmations.create(tx, {
          intent: "password-reset",
          objectId: owned.accountId,
          payload: { emailId: owned.emailId, interactionUid: context.interactionUid },
        });
        await mail.enqueue(tx, {
          to: owned.address,
          template: "password-reset",
          variables: { name: owned.name, link: link.url, expiresIn: describeValidity("password-reset") },
        });
      });
      return { address };
    },

    /**
     * Sets the new password and uses the link up in one transaction, ending every session of
     * the account but `keepSession` (the browser doing the reset).
     */
    async reset(key: string, password: string, keepSession?: string): Promise<{ accountId: string; interactionUid?: string }> {
      const problem = passwordProblem(password);
      if (problem) throw new FormError({ password: problem });
      const passwordHash = await hashPassword(password);
      return confirmations.redeem(key, ["password-reset"], async (confirmation, tx) => {
        await repo.setPassword(tx, confirmation.objectId, passwordHash);
        await deps.endSessions(tx, confirmation.objectId, keepSession);
        await deps.events.record(tx, { type: "account.password-changed", accountId: confirmation.objectId, via: "reset" });
        await deps.events.record(tx, { type: "account.sessions-ended", accountId: confirmation.objectId, reason: "password-reset" });
        return { accountId: confirmation.objectId, interactionUid: confirmation.payload.interactionUid };
      });
    },
  };
}

export type PasswordResetService = ReturnType<typeof createPasswordResetService>;
