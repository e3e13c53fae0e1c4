/** Deleting the account, in Prisma. */
import type { Tx } from "../confirmation/index.js";
import type { PrismaClient } from "../db/index.js";

export function createProfileRepository(prisma: PrismaClient) {
  return {
    /** Locks the user's row until the transaction ends; false when there is no such user. */
    async lockUser(tx: Tx, userId: string): Promise<boolean> {
      const rows = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM "user" WHERE id = ${userId} FOR UPDATE`;
      return rows.length === 1;
    },

    /**
     * Deletes the user; its addresses, organisation consents, terms acceptances and sign-in
     * history go with it (ON DELETE CASCADE). Answers the ids its addresses had, or
     * undefined when there was no such user (a second delete racing the first).
     */
    async deleteUser(tx: Tx, userId: string): Promise<string[] | undefined> {
      const emails = await tx.email.findMany({ where: { userId }, select: { id: true } });
      const { count } = await tx.user.deleteMany({ where: { id: userId } });
      return count ? emails.map((email) => email.id) : undefined;
    },

    transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
      return prisma.$transaction(work);
    },
  };
}

export type ProfileRepository = ReturnType<typeof createProfileRepository>;
