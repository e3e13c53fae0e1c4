/**
 * Ends every provider session of an account (after a password reset): the sessions live
 * in the provider's table, keyed by their own id, with the account inside the payload.
 */
import type { Prisma } from "../generated/prisma/client.js";

export async function endSessionsOf(tx: Prisma.TransactionClient, accountId: string): Promise<void> {
  await tx.oidcModel.deleteMany({ where: { model: "Session", payload: { path: ["accountId"], equals: accountId } } });
}
