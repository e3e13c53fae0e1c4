/**
 * Confirmation links (zulip's confirmation app, reshaped): create a link for an object and
 * an intent; later, resolve the key to that object or to one typed failure.
 * - A new link for the same (intent, object) revokes the older ones.
 * - Redemption is atomic: the key is marked used by a conditional update inside the
 *   caller's transaction, so of two clicks at once exactly one wins, and if the caller's
 *   work fails the link stays usable.
 * - Sending is rate-limited per (intent, object): one link a minute, five an hour.
 * - Making a link, and checking that limit inside the transaction that makes it, first takes
 *   a transaction-scoped advisory lock on (intent, object): concurrent requests for one
 *   object queue up, so each sees the links made before it — the limit holds, and the
 *   newest link revokes every older one (of two made at once, both would stay valid).
 */
import type { PrismaClient, Prisma } from "../db/index.js";
import type { Clock } from "../shared/index.js";
import { ConfirmationKeyError, TooManyLinksError } from "./errors.js";
import { intents, isIntent, type Intent } from "./intents.js";
import { generateKey, hashKey, isWellFormed } from "./key.js";
import type { Confirmation, CreatedLink, Payload } from "./types.js";

export type Tx = Prisma.TransactionClient;

const rateLimit = { minIntervalSeconds: 60, perHour: 5 } as const;

interface Row {
  id: string;
  intent: string;
  objectId: string;
  payload: Prisma.JsonValue;
  status: string;
  expiresAt: Date;
}

export function createConfirmationService(deps: { prisma: PrismaClient; clock: Clock; issuer: string }) {
  const { prisma, clock } = deps;

  function toConfirmation(row: Row): Confirmation {
    if (!isIntent(row.intent)) throw new ConfirmationKeyError("unknown");
    return { id: row.id, intent: row.intent, objectId: row.objectId, payload: row.payload as Payload, expiresAt: row.expiresAt };
  }

  /** Why a key that could not be redeemed failed. */
  function failureOf(row: Row | null, accepted: readonly Intent[]): ConfirmationKeyError {
    if (!row || !accepted.includes(row.intent as Intent)) return new ConfirmationKeyError("unknown");
    if (row.status === "used") return new ConfirmationKeyError("used", row.intent);
    if (row.status === "revoked") return new ConfirmationKeyError("revoked", row.intent);
    return new ConfirmationKeyError("expired", row.intent);
  }

  /** Held until the transaction ends; every process on the database waits for it. */
  async function lockObject(tx: Tx, intent: Intent, objectId: string): Promise<void> {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`confirmation\n${intent}\n${objectId}`}, 0))`;
  }

  async function find(key: string, db: Tx | PrismaClient = prisma): Promise<Row | null> {
    if (!isWellFormed(key)) throw new ConfirmationKeyError("malformed");
    return db.confirmation.findUnique({ where: { keyHash: hashKey(key) } });
  }

  return {
    async create(tx: Tx, link: { intent: Intent; objectId: string; payload?: Payload }): Promise<CreatedLink> {
      const now = clock.now();
      await lockObject(tx, link.intent, link.objectId);
      await tx.confirmation.updateMany({
        where: { intent: link.intent, objectId: link.objectId, status: "pending" },
        data: { status: "revoked" },
      });
      const key = generateKey();
      const expiresAt = new Date(now.getTime() + intents[link.intent].validitySeconds * 1000);
      await tx.confirmation.create({
        data: { keyHash: hashKey(key), intent: link.intent, objectId: link.objectId, payload: link.payload ?? {}, expiresAt, createdAt: now },
      });
      return { key, url: `${deps.issuer}/confirm/${key}`, expiresAt };
    },

    /**
     * Throws TooManyLinksError when another link for this object would be one too many. Given
     * the transaction that will make the link, it first takes the object's lock, so that
     * concurrent requests cannot all pass the limit.
     */
    async assertMaySend(intent: Intent, objectId: string, tx?: Tx): Promise<void> {
      if (tx) await lockObject(tx, intent, objectId);
      const now = clock.now().getTime();
      const recent = await (tx ?? prisma).confirmation.findMany({
        where: { intent, objectId, createdAt: { gt: new Date(now - 3600_000) } },
        orderBy: { createdAt: "desc" },
        select: { createdAt: true },
      });
      const newest = recent[0]?.createdAt.getTime();
      if (newest !== undefined && now - newest < rateLimit.minIntervalSeconds * 1000) {
        throw new TooManyLinksError(Math.ceil((newest + rateLimit.minIntervalSeconds * 1000 - now) / 1000));
      }
      const oldest = recent[rateLimit.perHour - 1]?.createdAt.getTime();
      if (oldest !== undefined) throw new TooManyLinksError(Math.ceil((oldest + 3600_000 - now) / 1000));
    },

    /** Reads a valid link without using it (to show a page asking the user to confirm). */
    async peek(key: string, accepted: readonly Intent[]): Promise<Confirmation> {
      const row = await find(key);
      if (row?.status === "pending" && row.expiresAt > clock.now() && accepted.includes(row.intent as Intent)) {
        return toConfirmation(row);
      }
      throw failureOf(row, accepted);
    },

    /** Reads a link whatever its state, for "send me a new one" on an expired or revoked link. */
    async inspect(key: string): Promise<Confirmation | undefined> {
      const row = await find(key).catch(() => null);
      return row && isIntent(row.intent) ? toConfirmation(row) : undefined;
    },

    /**
     * Marks the key used and runs `work` in the same transaction. If `work` throws, the
     * transaction rolls back and the link can be used again.
     */
    async redeem<T>(key: string, accepted: readonly Intent[], work: (confirmation: Confirmation, tx: Tx) => Promise<T>): Promise<T> {
      if (!isWellFormed(key)) throw new ConfirmationKeyError("malformed");
      return prisma.$transaction(async (tx) => {
        const now = clock.now();
        const keyHash = hashKey(key);
        const { count } = await tx.confirmation.updateMany({
          where: { keyHash, status: "pending", expiresAt: { gt: now }, intent: { in: [...accepted] } },
          data: { status: "used", usedAt: now },
        });
        const row = await tx.confirmation.findUnique({ where: { keyHash } });
        if (count !== 1 || !row) throw failureOf(row, accepted);
        return work(toConfirmation(row), tx);
      });
    },

    /** Revokes every pending link for the object, e.g. when the object is deleted. */
    async revokeAll(tx: Tx, intent: Intent, objectId: string): Promise<void> {
      await tx.confirmation.updateMany({ where: { intent, objectId, status: "pending" }, data: { status: "revoked" } });
    },
  };
}

export type ConfirmationService = ReturnType<typeof createConfirmationService>;
