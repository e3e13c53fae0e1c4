/**
 * The one writer of a user's name (the profile page and the terms step both go through it),
 * so every change records `account.name-changed` in the change's transaction. Writing the
 * name the account already has changes nothing and records nothing. The name rules are
 * checked here too (input-rules.ts), whatever the caller checked: a name with a line break
 * would otherwise reach mail bodies and other sites' `name` claim.
 */
import type { Tx } from "../confirmation/index.js";
import type { EventRecorder } from "../jobs/index.js";
import { AppError, FormError } from "../shared/index.js";
import { nameProblem } from "./input-rules.js";

export type NameWriter = (tx: Tx, accountId: string, name: string) => Promise<void>;

export function createNameWriter(deps: { events: EventRecorder }): NameWriter {
  return async (tx, accountId, name) => {
    const problem = nameProblem(name);
    if (problem) throw new FormError({ name: problem });
    // Locks the row, so two renames at once are recorded in the order they were written.
    const rows = await tx.$queryRaw<{ name: string }[]>`SELECT name FROM "user" WHERE id = ${accountId} FOR UPDATE`;
    const current = rows[0];
    if (!current) throw new AppError("accounts.not_found", "Your account no longer exists.", 404);
    if (current.name === name) return;
    await tx.user.update({ where: { id: accountId }, data: { name } });
    await deps.events.record(tx, { type: "account.name-changed", accountId, name });
  };
}
