/** Wallet addresses and issued challenges in Prisma; returns domain types, never rows. */
import type { Tx } from "../confirmation/index.js";
import { Prisma, type PrismaClient } from "../db/index.js";
import { normalized } from "./address.js";

export interface Challenge {
  nonce: string;
  boundTo: string;
  address: string;
  chainId: number;
  issuedAt: Date;
  expiresAt: Date;
}

export interface LinkedWallet {
  address: string;
  linkedAt: Date;
}

/** The address already belongs to an account (the lower-case key is unique). */
export class WalletTakenError extends Error {}

export function createWalletRepository(prisma: PrismaClient) {
  return {
    async saveChallenge(challenge: Challenge): Promise<void> {
      await prisma.walletChallenge.create({ data: challenge });
    },

    /**
     * Marks the challenge used, if it is still unused and bound to `boundTo`: one UPDATE, so
     * of two requests racing with one nonce exactly one gets it. Answers the challenge, or
     * why not: "used" (an earlier attempt, good or bad, had it) or "unknown".
     */
    async consumeChallenge(nonce: string, boundTo: string, now: Date): Promise<Challenge | "used" | "unknown"> {
      const { count } = await prisma.walletChallenge.updateMany({ where: { nonce, boundTo, consumedAt: null }, data: { consumedAt: now } });
      const row = await prisma.walletChallenge.findFirst({ where: { nonce, boundTo } });
      if (!row) return "unknown";
      if (count === 0) return "used";
      return { nonce: row.nonce, boundTo: row.boundTo, address: row.address, chainId: row.chainId, issuedAt: row.issuedAt, expiresAt: row.expiresAt };
    },

    async purgeChallenges(before: Date): Promise<number> {
      return (await prisma.walletChallenge.deleteMany({ where: { expiresAt: { lt: before } } })).count;
    },

    async ownerOf(address: string): Promise<string | undefined> {
      return (await prisma.walletAddress.findUnique({ where: { normalized: normalized(address) } }))?.userId;
    },

    async list(userId: string, db: Tx | PrismaClient = prisma): Promise<LinkedWallet[]> {
      const rows = await db.walletAddress.findMany({ where: { userId }, orderBy: { createdAt: "asc" } });
      return rows.map((row) => ({ address: row.address, linkedAt: row.createdAt }));
    },

    async link(tx: Tx, userId: string, address: string, at: Date): Promise<void> {
      try {
        await tx.walletAddress.create({ data: { normalized: normalized(address), address, userId, createdAt: at } });
      } catch (error) {
        if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") throw new WalletTakenError();
        throw error;
      }
    },

    /** Answers whether the account had the wallet. */
    async unlink(tx: Tx, userId: string, address: string): Promise<boolean> {
      return (await tx.walletAddress.deleteMany({ where: { normalized: normalized(address), userId } })).count > 0;
    },

    /**
     * Serialises changes to one account's ways of signing in: without the lock, two
     * unlinks racing could each see the other wallet and leave none.
     */
    async lockAccount(tx: Tx, userId: string): Promise<void> {
      await tx.$queryRaw`SELECT id FROM "user" WHERE id = ${userId} FOR UPDATE`;
    },

    transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
      return prisma.$transaction(work);
    },
  };
}

export type WalletRepository = ReturnType<typeof createWalletRepository>;
