/**
 * Changing the password on the account page, with the current one (ASVS 5.0 6.2.3: a
 * change asks for the current password and the new one). The new one meets the same rules
 * as at sign-up and reset (password.ts). A wrong current password is audited
 * (`account.password-change-failed`) and answered next to its field; the route counts it
 * against the sign-in throttle, so the form is no way around it to guess passwords.
 * A change takes back everything issued for the account but the browser making it — the
 * existing policy for a reset (ASVS 5.0 7.4.3: sessions end when the password changes) —
 * and is recorded as `account.password-changed` (via "set"), which mails the owner
 * (security notices) and tells the sites they signed in to (CAEP credential-change).
 */
import type { EventRecorder } from "../jobs/index.js";
import { FormError } from "../shared/index.js";
import type { Passwords } from "./password.js";
import type { AccountRepository } from "./repository.js";
import type { Tx } from "../confirmation/index.js";

export function createPasswordChange(deps: {
  repo: AccountRepository;
  passwords: Passwords;
  events: EventRecorder;
  /** Revokes every session (but `keepSession`), grant and token of the account, in the given transaction. */
  revokeAccess: (tx: Tx, accountId: string, keepSession?: string) => Promise<void>;
}) {
  const { repo, passwords, events } = deps;
  return {
    /** The length rule, for the hint next to the new password's field. */
    length: passwords.length,

    async change(accountId: string, current: string, next: string, keepSession?: string): Promise<void> {
      const problem = next ? passwords.problem(next) : "Enter a new password.";
      if (!current || problem) {
        throw new FormError({ ...(!current && { current_password: "Enter your current password." }), ...(problem && { new_password: problem }) });
      }
      const stored = await repo.findPasswordHash(accountId);
      if (!stored) {
        throw new FormError({ current_password: "Your account has no password yet. Ask for a reset link (below) to set one." });
      }
      if (!(await passwords.verify(stored, current))) {
        await repo.transaction((tx) => events.record(tx, { type: "account.password-change-failed", accountId }));
        throw new FormError({ current_password: "That is not your current password." }, 401);
      }
      const hash = await passwords.hash(next);
      await repo.transaction(async (tx) => {
        await repo.setPassword(tx, accountId, hash);
        await deps.revokeAccess(tx, accountId, keepSession);
        await events.record(tx, { type: "account.password-changed", accountId, via: "set" });
        await events.record(tx, { type: "account.sessions-ended", accountId, reason: "password-change" });
      });
    },
  };
}

export type PasswordChange = ReturnType<typeof createPasswordChange>;
