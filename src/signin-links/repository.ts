/** Sign-in links and their browser flows in Prisma; returns plain records, never rows of other rooms. */
import type { Prisma, PrismaClient } from "../db/index.js";

type Tx = Prisma.TransactionClient;

export interface LinkRecord {
  id: string;
  clientId: string;
  email: string;
  name: string | null;
  target: string;
  expiresAt: Date;
  usedAt: Date | null;
  flowKeyHash: string | null;
  flowExpiresAt: Date | null;
  accountId: string | null;
  readyAt: Date | null;
  completedAt: Date | null;
}

export function createSignInLinkRepository(prisma: PrismaClient) {
  return {
    create(tx: Tx, link: { clientId: string; email: string; name: string | null; target: string; createdAt: Date; expiresAt: Date; id: string }): Promise<LinkRecord> {
      return tx.signInLink.create({ data: link });
    },

    async find(id: string, db: Tx | PrismaClient = prisma): Promise<LinkRecord | undefined> {
      return (await db.signInLink.findUnique({ where: { id } })) ?? undefined;
    },

    async findByFlowKey(flowKeyHash: string): Promise<LinkRecord | undefined> {
      return (await prisma.signInLink.findUnique({ where: { flowKeyHash } })) ?? undefined;
    },

    /** Uses the link once: of two posts at once exactly one gets true. */
    async use(tx: Tx, id: string, now: Date, flow: { flowKeyHash: string; flowExpiresAt: Date; accountId: string | null }): Promise<boolean> {
      const { count } = await tx.signInLink.updateMany({ where: { id, usedAt: null, expiresAt: { gt: now } }, data: { usedAt: now, ...flow } });
      return count === 1;
    },

    async setAccount(tx: Tx, id: string, accountId: string): Promise<void> {
      await tx.signInLink.update({ where: { id }, data: { accountId } });
    },

    async markReady(id: string, now: Date): Promise<void> {
      await prisma.signInLink.update({ where: { id }, data: { readyAt: now } });
    },

    /** Ends a ready flow with its sign-in, once. */
    async complete(tx: Tx, id: string, now: Date): Promise<boolean> {
      const { count } = await tx.signInLink.updateMany({ where: { id, completedAt: null, readyAt: { not: null }, flowExpiresAt: { gt: now } }, data: { completedAt: now } });
      return count === 1;
    },

    /** Whether the account signed in to the client before (the oidc room's sign-in history). */
    async signedInBefore(accountId: string, clientId: string): Promise<boolean> {
      return (await prisma.clientSignIn.count({ where: { userId: accountId, clientId } })) > 0;
    },


    async purgeExpiredBefore(before: Date): Promise<number> {
      return (await prisma.signInLink.deleteMany({ where: { expiresAt: { lt: before } } })).count;
    },

    transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
      return prisma.$transaction(work);
    },
  };
}

export type SignInLinkRepository = ReturnType<typeof createSignInLinkRepository>;
