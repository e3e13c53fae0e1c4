/**
 * Deleting an account reaches into the provider's table: every artefact whose payload
 * names the account (sessions, grants, access and refresh tokens, codes), and anything
 * else bound to one of its grants. Runs in the caller's transaction, so the account and
 * its provider records go together or not at all.
 */
import type { Prisma } from "../generated/prisma/client.js";

export async function deleteAccountRecords(tx: Prisma.TransactionClient, accountId: string): Promise<void> {
  const ofAccount = { payload: { path: ["accountId"], equals: accountId } };
  const grants = await tx.oidcModel.findMany({ where: { model: "Grant", ...ofAccount }, select: { id: true } });
  await tx.oidcModel.deleteMany({ where: { OR: [ofAccount, { grantId: { in: grants.map((grant) => grant.id) } }] } });
}
