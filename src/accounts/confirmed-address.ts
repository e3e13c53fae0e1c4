/**
 * Accounts met through an address whose mailbox was just proved (a sign-in link's
 * confirmation mail, src/signin-links): the account that owns the address, or a new one
 * made for it, its address confirmed at once — the proof is the link just used.
 * An account that holds the address without ever having confirmed it is not attached to:
 * whoever registered it knows its password, and would share an account with the mailbox's
 * owner. Such an address is taken over with a password reset instead (README, "An address
 * held before its owner arrives").
 */
import type { Tx } from "../confirmation/index.js";
import type { EventRecorder } from "../jobs/index.js";
import { AppError } from "../shared/index.js";
import type { EmailService } from "./emails.js";
import { nameProblem } from "./input-rules.js";
import { normalizeEmail } from "./normalize-email.js";
import type { AccountRepository } from "./repository.js";

/** The address belongs to an account that never confirmed it. */
export class UnconfirmedHolderError extends AppError {
  constructor() {
    super(
      "accounts.address_held_unconfirmed",
      "An account was registered with this address but never confirmed it. To take the address over, use “Forgot your password?” on the sign-in page: the reset link goes to this mailbox.",
      409,
    );
  }
}

export function createConfirmedAddressAccounts(deps: { repo: AccountRepository; emails: Pick<EmailService, "verify">; events: EventRecorder }) {
  const { repo, emails, events } = deps;

  return {
    /** The account owning the confirmed address, if any (an unconfirmed holder does not count). */
    async ownerOf(address: string): Promise<string | undefined> {
      const owned = await repo.findOwnedEmail(normalizeEmail(address));
      if (!owned) return undefined;
      const email = await repo.findEmail(owned.emailId);
      return email?.verified ? owned.accountId : undefined;
    },

    /**
     * Inside the transaction that uses the proof: the owning account, or a new one named
     * `name` (the address's local part when it is not a usable name) with the address
     * confirmed. Throws UnconfirmedHolderError for an address held but never confirmed.
     */
    async ownerOrNew(tx: Tx, input: { address: string; name?: string }): Promise<{ accountId: string; created: boolean }> {
      const address = input.address.trim();
      const normalized = normalizeEmail(address);
      const owned = await repo.findOwnedEmail(normalized, tx);
      if (owned) {
        const email = await repo.findEmail(owned.emailId, tx);
        if (!email?.verified) throw new UnconfirmedHolderError();
        return { accountId: owned.accountId, created: false };
      }
      const given = input.name?.trim() ?? "";
      const name = given && !nameProblem(given) ? given : address.slice(0, address.indexOf("@"));
      const created = await repo.createWithoutPassword(tx, { name, email: { address, normalized } });
      await events.record(tx, { type: "account.registered", accountId: created.account.id, email: address });
      await emails.verify(tx, created.emailId!);
      return { accountId: created.account.id, created: true };
    },
  };
}

export type ConfirmedAddressAccounts = ReturnType<typeof createConfirmedAddressAccounts>;
