/**
 * Ends the provider sessions of an account (after a password reset) but the one given:
 * the sessions live in the provider's table, keyed by their own id, with the account
 * inside the payload.
 */
import type { Prisma } from "../db/index.js";

export async function endSessionsOf(tx: Prisma.TransactionClient, accountId: string, except?: string): Promise<void> {
  await tx.oidcModel.deleteMany({
    where: { model: "Session", payload: { path: ["accountId"], equals: accountId }, ...(except && { NOT: { id: except } }) },
  });
}
