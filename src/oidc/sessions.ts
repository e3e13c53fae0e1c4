/**
 * Takes back everything the provider issued for an account, after a password reset (the
 * README's promise: a reset signs the account out everywhere else). Whoever knew the old
 * password, or held the account before its owner proved the address, keeps nothing:
 * - every session of the account but `keepSession` (the browser doing the reset, by its
 *   cookie's id; the row is keyed by its hash, stored-id.ts);
 * - every grant and what it issued: access and refresh tokens, authorization codes,
 *   device codes (all carry the account, and their grant's id), so introspection answers
 *   inactive, userinfo 401 and a refresh invalid_grant at once;
 * - sign-ins that passed the old password and wait to resume (`result.login`), which
 *   would otherwise open a fresh session for it.
 * Sign-ins in progress that only carry a grant's id are left alone (grant-artefacts.ts):
 * the one the reset was asked from continues afterwards.
 * Runs in the caller's transaction, so the new password and the revocation go together.
 */
import type { Prisma } from "../db/index.js";
import { grantArtefacts } from "./grant-artefacts.js";
import { storedIdOf } from "./stored-id.js";

export async function revokeAccountAccess(tx: Prisma.TransactionClient, accountId: string, keepSession?: string): Promise<void> {
  const naming = (path: string[]) => ({ payload: { path, equals: accountId } });
  const grants = await tx.oidcModel.findMany({ where: { model: "Grant", ...naming(["accountId"]) }, select: { id: true } });
  await tx.oidcModel.deleteMany({
    where: {
      OR: [
        { ...naming(["accountId"]), model: { notIn: ["Session", "Interaction"] } },
        { model: "Session", ...naming(["accountId"]), ...(keepSession && { NOT: { id: storedIdOf("Session", keepSession) } }) },
        grantArtefacts(grants.map((grant) => grant.id)),
        { model: "Interaction", ...naming(["result", "login", "accountId"]) },
      ],
    },
  });
}
