/**
 * The account's own details, and deleting the account. Rules:
 * - a name is required, at most 200 characters, without control characters (as at
 *   registration; input-rules.ts), kept trimmed;
 * - deleting is confirmed by typing the primary address (compared as addresses are: case
 *   and surrounding spaces ignored);
 * - deletion is one transaction: the user with everything that cascades from it, its
 *   pending confirmation links (revoked: a reset link must not reach a deleted account),
 *   and its records in the provider's table (sessions, grants, tokens, codes). Either all
 *   of it goes or nothing does.
 */
import type { ConfirmationService, Tx } from "../confirmation/index.js";
import type { EventRecorder } from "../jobs/index.js";
import type { NameWriter } from "./name-writer.js";
import { FormError } from "../shared/index.js";
import { nameProblem } from "./input-rules.js";
import { normalizeEmail } from "./normalize-email.js";
import type { ProfileRepository } from "./profile-repository.js";
import type { AccountRepository } from "./repository.js";

export function createProfileService(deps: {
  repo: AccountRepository;
  profiles: ProfileRepository;
  confirmations: ConfirmationService;
  writeName: NameWriter;
  events: EventRecorder;
  /** The clients connected to the account (see the account.deleted event), in the given transaction. */
  connectedClients: (tx: Tx, accountId: string) => Promise<string[]>;
  /** Deletes the account's records in the provider's table, in the given transaction. */
  deleteProviderRecords: (tx: Tx, accountId: string) => Promise<void>;
}) {
  const { repo, profiles, confirmations } = deps;
  return {
    async rename(accountId: string, input: string): Promise<{ name: string }> {
      const name = input.trim();
      const problem = nameProblem(name);
      if (problem) throw new FormError({ name: problem });
      await profiles.transaction((tx) => deps.writeName(tx, accountId, name));
      return { name };
    },

    /** Throws a FormError on `confirmation` unless it is the account's primary address. */
    async deleteAccount(accountId: string, typed: string): Promise<void> {
      const primary = (await repo.findById(accountId))?.primaryEmail?.address;
      if (!typed.trim()) throw new FormError({ confirmation: "Type your primary email address to confirm." });
      if (!primary || normalizeEmail(typed) !== normalizeEmail(primary)) {
        throw new FormError({ confirmation: `That is not your primary email address. Type ${primary ?? "it"} exactly as shown.` });
      }
      await profiles.transaction(async (tx) => {
        // A second delete racing the first waits for it here, then finds nothing: one deletion, one event.
        if (!(await profiles.lockUser(tx, accountId))) return;
        const clientIds = await deps.connectedClients(tx, accountId);
        // Recorded before the account's rows go, in the same transaction: subscribers that run
        // in it can still read what the account had (billing: the Stripe customer to close).
        await deps.events.record(tx, { type: "account.deleted", accountId, clientIds });
        const emailIds = (await profiles.deleteUser(tx, accountId)) ?? [];
        await confirmations.revokeAll(tx, "password-reset", accountId);
        for (const emailId of emailIds) {
          await confirmations.revokeAll(tx, "registration", emailId);
          await confirmations.revokeAll(tx, "add-email", emailId);
        }
        await deps.deleteProviderRecords(tx, accountId);
      });
    },
  };
}

export type ProfileService = ReturnType<typeof createProfileService>;
