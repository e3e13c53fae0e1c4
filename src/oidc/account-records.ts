/**
 * Deleting an account reaches into the provider's table: every artefact whose payload
 * names the account (sessions, grants, access and refresh tokens, codes), anything else
 * bound to one of its grants, and sign-ins in progress for it (an Interaction keeps the
 * account under `session` and, once the password was checked, under `result.login`).
 * Runs in the caller's transaction, so the account and its provider records go together
 * or not at all.
 */
import type { Prisma } from "../db/index.js";

export async function deleteAccountRecords(tx: Prisma.TransactionClient, accountId: string): Promise<void> {
  const naming = (path: string[]) => ({ payload: { path, equals: accountId } });
  const grants = await tx.oidcModel.findMany({ where: { model: "Grant", ...naming(["accountId"]) }, select: { id: true } });
  await tx.oidcModel.deleteMany({
    where: {
      OR: [
        naming(["accountId"]),
        { grantId: { in: grants.map((grant) => grant.id) } },
        { model: "Interaction", OR: [naming(["session", "accountId"]), naming(["result", "login", "accountId"])] },
      ],
    },
  });
}
