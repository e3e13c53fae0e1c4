/**
 * Counters of attempts per bucket in fixed windows, kept in the database so that every
 * Tessera process sharing it sees the same counts (ASVS 5.0 6.3.1/2.4.1 anti-automation).
 * - A bucket is a rule (limit per window) and a key (an address, an IP, a client id). Keys
 *   are stored as a SHA-256 of rule and key: the table never holds an address or an IP.
 * - `attempt` takes one place in each of its buckets with an atomic conditional
 *   upsert-increment (`INSERT … ON CONFLICT DO UPDATE … WHERE count < limit`), so many
 *   requests at once cannot all slip under a limit; a bucket already full refuses, the places
 *   already taken by that attempt are given back, and nothing further is done.
 * - An attempt that turns out not to count (a correct password) gives its places back.
 * Fixed windows (rather than sliding ones) keep each check one statement; the price is that
 * up to twice a limit can pass around a window's edge, which the limits allow for.
 */
import { createHash } from "node:crypto";
import type { PrismaClient } from "../../db/index.js";
import { describeWait, TooManyRequestsError, type Clock } from "../../shared/index.js";

export interface ThrottleRule {
  /** Names the rule in the bucket's hash, so two rules never share counts. */
  name: string;
  limit: number;
  windowSeconds: number;
}

export interface Bucket {
  rule: ThrottleRule;
  key: string;
}

/** A counted attempt: its places in its buckets until the window ends. */
export interface Attempt {
  /** Gives the places back: the attempt does not count (it succeeded). */
  forgive(): Promise<void>;
}

export interface Refusal {
  /** What the person reads, before "Try again in …". */
  message: string;
  /** The form field the message belongs next to; "form" for the form as a whole. */
  field?: string;
}

export interface Throttle {
  /**
   * Counts an attempt in every bucket, or refuses it with a TooManyRequestsError (counting
   * nothing) when any bucket is at its limit.
   */
  attempt(buckets: readonly Bucket[], refusal: Refusal): Promise<Attempt>;
}

interface Place {
  bucket: string;
  windowStart: Date;
}

function bucketHash(bucket: Bucket): string {
  return createHash("sha256").update(`${bucket.rule.name}\n${bucket.key}`).digest("base64url");
}

export function createThrottle(deps: { prisma: PrismaClient; clock: Clock }): Throttle {
  const { prisma, clock } = deps;

  /** Takes a place in the bucket's current window; undefined when the window is full. */
  async function take(bucket: Bucket, now: number): Promise<(Place & { windowEnd: number }) | { full: true; windowEnd: number }> {
    const windowMs = bucket.rule.windowSeconds * 1000;
    const start = Math.floor(now / windowMs) * windowMs;
    const place = { bucket: bucketHash(bucket), windowStart: new Date(start) };
    const expiresAt = new Date(start + windowMs);
    const rows = await prisma.$queryRaw<{ count: number }[]>`
      INSERT INTO throttle_counter (bucket, window_start, count, expires_at)
      VALUES (${place.bucket}, ${place.windowStart}, 1, ${expiresAt})
      ON CONFLICT (bucket, window_start) DO UPDATE SET count = throttle_counter.count + 1
      WHERE throttle_counter.count < ${bucket.rule.limit}
      RETURNING count`;
    return rows.length ? { ...place, windowEnd: start + windowMs } : { full: true, windowEnd: start + windowMs };
  }

  async function giveBack(places: readonly Place[]): Promise<void> {
    for (const place of places) {
      await prisma.$executeRaw`
        UPDATE throttle_counter SET count = count - 1
        WHERE bucket = ${place.bucket} AND window_start = ${place.windowStart} AND count > 0`;
    }
  }

  return {
    async attempt(buckets, refusal) {
      const now = clock.now().getTime();
      const taken: Place[] = [];
      for (const bucket of buckets) {
        const result = await take(bucket, now);
        if ("full" in result) {
          await giveBack(taken);
          const wait = Math.max(1, Math.ceil((result.windowEnd - now) / 1000));
          throw new TooManyRequestsError(`${refusal.message} Try again in ${describeWait(wait)}.`, wait, refusal.field);
        }
        taken.push(result);
      }
      return { forgive: () => giveBack(taken) };
    },
  };
}
