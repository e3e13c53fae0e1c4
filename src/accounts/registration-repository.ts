/** Pending registrations in Prisma (see registration.ts); returns domain types, never rows. */
import type { Tx } from "../confirmation/index.js";
import type { PrismaClient } from "../db/index.js";

export interface PendingRegistration {
  id: string;
  address: string;
  normalized: string;
  name: string;
  passwordHash: string | null;
  browserHash: string | null;
  interactionUid: string | null;
  accountId: string | null;
  expiresAt: Date;
}

export function createRegistrationRepository(prisma: PrismaClient) {
  return {
    async create(tx: Tx, input: Omit<PendingRegistration, "id" | "accountId">): Promise<string> {
      const row = await tx.pendingRegistration.create({ data: input, select: { id: true } });
      return row.id;
    },

    find(id: string, db: Tx | PrismaClient = prisma): Promise<PendingRegistration | null> {
      return db.pendingRegistration.findUnique({ where: { id } });
    },

    /** The newest registration this browser made during this sign-in, still waiting for its link. */
    findWaiting(browserHash: string, interactionUid: string, now: Date): Promise<PendingRegistration | null> {
      return prisma.pendingRegistration.findFirst({
        where: { browserHash, interactionUid, accountId: null, expiresAt: { gt: now } },
        orderBy: { createdAt: "desc" },
      });
    },

    /**
     * Records the account the link created. `keepBrowser` false forgets which browser asked,
     * so that browser can never continue a sign-in into the account (registration.ts).
     */
    async complete(tx: Tx, id: string, accountId: string, keepBrowser: boolean): Promise<void> {
      await tx.pendingRegistration.update({ where: { id }, data: { accountId, ...(!keepBrowser && { browserHash: null }) } });
    },

    /**
     * Takes (once: the row is deleted) the account a link created for this browser's sign-in.
     * Of two requests at once, one gets it.
     */
    async takeCompleted(browserHash: string, interactionUid: string): Promise<string | undefined> {
      const row = await prisma.pendingRegistration.findFirst({ where: { browserHash, interactionUid, accountId: { not: null } }, orderBy: { createdAt: "desc" } });
      if (!row?.accountId) return undefined;
      const { count } = await prisma.pendingRegistration.deleteMany({ where: { id: row.id, accountId: row.accountId } });
      return count === 1 ? row.accountId : undefined;
    },

    async purgeExpired(before: Date): Promise<number> {
      const { count } = await prisma.pendingRegistration.deleteMany({ where: { expiresAt: { lt: before } } });
      return count;
    },
  };
}

export type RegistrationRepository = ReturnType<typeof createRegistrationRepository>;
