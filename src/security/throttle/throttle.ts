/**
 * Counters of attempts per bucket in fixed windows, kept in the database so that every
 * Tessera process sharing it sees the same counts (ASVS 5.0 6.3.1/2.4.1 anti-automation).
 * - A bucket is a rule (limit per window) and a key (an address, an IP, a client id). Keys
 *   are stored as a SHA-256 of rule and key: the table never holds an address or an IP.
 * - `attempt` takes one place in each of its buckets with one atomic conditional
 *   upsert-increment of them all (`INSERT … ON CONFLICT DO UPDATE … WHERE count < limit`),
 *   so many requests at once cannot all slip under a limit; if a bucket was already full the
 *   attempt is refused and the places it took in the others are given back.
 * - An attempt that turns out not to count (a correct password) gives its places back.
 * Fixed windows (rather than sliding ones) keep a check and a give-back one statement each; the price is that
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

  /**
   * Takes a place in the current window of every bucket at once, with one statement; answers
   * the places taken (a full bucket's place is not among them).
   */
  async function take(places: readonly (Place & { windowEnd: number; limit: number })[]): Promise<Place[]> {
    if (!places.length) return [];
    const rows = await prisma.$queryRaw<{ bucket: string }[]>`
      WITH wanted AS (
        SELECT * FROM unnest(${places.map((place) => place.bucket)}::text[], ${places.map((place) => place.windowStart.toISOString())}::timestamptz[],
          ${places.map((place) => new Date(place.windowEnd).toISOString())}::timestamptz[], ${places.map((place) => place.limit)}::int[])
          AS wanted(bucket, window_start, expires_at, count_limit))
      INSERT INTO throttle_counter (bucket, window_start, count, expires_at)
      SELECT bucket, window_start, 1, expires_at FROM wanted
      ON CONFLICT (bucket, window_start) DO UPDATE SET count = throttle_counter.count + 1
      WHERE throttle_counter.count < (SELECT count_limit FROM wanted WHERE wanted.bucket = excluded.bucket AND wanted.window_start = excluded.window_start)
      RETURNING bucket`;
    const taken = new Set(rows.map((row) => row.bucket));
    return places.filter((place) => taken.has(place.bucket));
  }

  async function giveBack(places: readonly Place[]): Promise<void> {
    if (!places.length) return;
    await prisma.$executeRaw`
      UPDATE throttle_counter SET count = throttle_counter.count - 1
      FROM unnest(${places.map((place) => place.bucket)}::text[], ${places.map((place) => place.windowStart.toISOString())}::timestamptz[]) AS given(bucket, window_start)
      WHERE throttle_counter.bucket = given.bucket AND throttle_counter.window_start = given.window_start AND throttle_counter.count > 0`;
  }

  return {
    async attempt(buckets, refusal) {
      const now = clock.now().getTime();
      const places = buckets.map((bucket) => {
        const windowMs = bucket.rule.windowSeconds * 1000;
        const start = Math.floor(now / windowMs) * windowMs;
        return { bucket: bucketHash(bucket), windowStart: new Date(start), windowEnd: start + windowMs, limit: bucket.rule.limit };
      }).filter((place, index, all) => all.findIndex((other) => other.bucket === place.bucket) === index);
      const taken = await take(places);
      const full = places.find((place) => !taken.includes(place));
      if (full) {
        await giveBack(taken);
        const wait = Math.max(1, Math.ceil((full.windowEnd - now) / 1000));
        throw new TooManyRequestsError(`${refusal.message} Try again in ${describeWait(wait)}.`, wait, refusal.field);
      }
      return { forgive: () => giveBack(taken) };
    },
  };
}
