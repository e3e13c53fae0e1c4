/**
 * The job table in SQL. Claiming is one statement: the candidates are locked with
 * FOR UPDATE SKIP LOCKED, so workers in several processes never take the same job, and
 * each claim is a lease — a job whose worker died is due again once its lease lapses.
 */
import type { PrismaClient } from "../db/index.js";
import { Prisma } from "../db/index.js";
import { jobsChannel } from "./queue.js";
import type { JobRecord, JobState } from "./types.js";

export interface ClaimedJob {
  id: string;
  kind: string;
  payload: unknown;
  attempts: number;
  maxAttempts: number;
}

const states: readonly JobState[] = ["ready", "running", "dead"];

function toRecord(row: Prisma.JobGetPayload<object>): JobRecord {
  const state = states.find((value) => value === row.state) ?? "ready";
  return { id: row.id, kind: row.kind, state, attempts: row.attempts, maxAttempts: row.maxAttempts, runAt: row.runAt, lastError: row.lastError, createdAt: row.createdAt };
}

export function createJobRepository(prisma: PrismaClient) {
  return {
    /**
     * Takes up to `limit` due jobs of the given kinds: ready ones whose time has come, and
     * running ones whose lease has lapsed. Each gets its own lease length.
     */
    async claim(now: Date, leases: Map<string, number>, limit: number): Promise<ClaimedJob[]> {
      if (!leases.size) return [];
      const kinds = [...leases.keys()];
      const leaseCase = Prisma.join(
        kinds.map((kind) => Prisma.sql`WHEN ${kind} THEN ${leases.get(kind) ?? 60}::integer`),
        " ",
      );
      return prisma.$queryRaw<ClaimedJob[]>`
        UPDATE "job" SET
          "state" = 'running',
          "attempts" = "attempts" + 1,
          "lease_until" = ${now}::timestamp + make_interval(secs => CASE "kind" ${leaseCase} END),
          "updated_at" = ${now}::timestamp
        WHERE "id" IN (
          SELECT "id" FROM "job"
          WHERE "kind" IN (${Prisma.join(kinds)})
            AND (("state" = 'ready' AND "run_at" <= ${now}::timestamp) OR ("state" = 'running' AND "lease_until" <= ${now}::timestamp))
          ORDER BY "run_at"
          LIMIT ${limit}
          FOR UPDATE SKIP LOCKED)
        RETURNING "id", "kind", "payload", "attempts", "max_attempts" AS "maxAttempts"`;
    },

    /** Done: the row goes (payloads may hold links and addresses that must not linger). */
    async complete(id: string): Promise<void> {
      await prisma.job.deleteMany({ where: { id } });
    },

    async retryLater(id: string, runAt: Date, lastError: string, now: Date): Promise<void> {
      await prisma.job.updateMany({ where: { id }, data: { state: "ready", runAt, leaseUntil: null, lastError, updatedAt: now } });
    },

    /** Puts a running job back, due at runAt, giving back the attempt it was claimed with. */
    async defer(id: string, runAt: Date, now: Date): Promise<void> {
      await prisma.job.updateMany({ where: { id }, data: { state: "ready", runAt, leaseUntil: null, attempts: { decrement: 1 }, updatedAt: now } });
    },

    /**
     * Makes waiting jobs of a kind whose payload has `key` = `value` due now (held pushes of
     * a stream that resumed), and wakes the workers. Answers how many.
     */
    async runNow(kind: string, key: string, value: string, now: Date): Promise<number> {
      return prisma.$transaction(async (tx) => {
        const count = await tx.$executeRaw`
          UPDATE "job" SET "run_at" = ${now}::timestamp, "updated_at" = ${now}::timestamp
          WHERE "kind" = ${kind} AND "state" = 'ready' AND "payload"->>${key} = ${value}`;
        if (count) await tx.$executeRaw`SELECT pg_notify(${jobsChannel}, '')`;
        return count;
      });
    },

    async bury(id: string, lastError: string, now: Date): Promise<void> {
      await prisma.job.updateMany({ where: { id }, data: { state: "dead", leaseUntil: null, lastError, updatedAt: now } });
    },

    /** When the next job of these kinds becomes due (a retry, a delayed job or a lease), if any. */
    async nextDueAt(kinds: string[]): Promise<Date | undefined> {
      const [ready, running] = await Promise.all([
        prisma.job.aggregate({ where: { kind: { in: kinds }, state: "ready" }, _min: { runAt: true } }),
        prisma.job.aggregate({ where: { kind: { in: kinds }, state: "running" }, _min: { leaseUntil: true } }),
      ]);
      const times = [ready._min.runAt, running._min.leaseUntil].filter((time): time is Date => time !== null);
      return times.length ? new Date(Math.min(...times.map((time) => time.getTime()))) : undefined;
    },

    async countDue(kinds: string[], now: Date): Promise<number> {
      return prisma.job.count({
        where: { kind: { in: kinds }, OR: [{ state: "ready", runAt: { lte: now } }, { state: "running", leaseUntil: { lte: now } }] },
      });
    },

    async list(filter: { state?: JobState; limit: number }): Promise<JobRecord[]> {
      const rows = await prisma.job.findMany({ where: filter.state ? { state: filter.state } : {}, orderBy: { runAt: "asc" }, take: filter.limit });
      return rows.map(toRecord);
    },

    /** A dead job gets a fresh set of attempts, due now. Answers false when there is no dead job with that id. */
    async retry(id: string, now: Date): Promise<boolean> {
      const { count } = await prisma.job.updateMany({ where: { id, state: "dead" }, data: { state: "ready", attempts: 0, runAt: now, updatedAt: now } });
      return count === 1;
    },

    /**
     * Moves the schedule's last tick forward to `tick`; answers true for the one caller that
     * did, so a tick fires once across every process sharing the database.
     */
    async advanceSchedule(tx: Prisma.TransactionClient, name: string, tick: Date): Promise<boolean> {
      const rows = await tx.$queryRaw<{ name: string }[]>`
        INSERT INTO "job_schedule" ("name", "last_tick") VALUES (${name}, ${tick}::timestamp)
        ON CONFLICT ("name") DO UPDATE SET "last_tick" = EXCLUDED."last_tick"
        WHERE "job_schedule"."last_tick" < EXCLUDED."last_tick"
        RETURNING "name"`;
      return rows.length === 1;
    },

    async lastTicks(): Promise<Map<string, Date>> {
      const rows = await prisma.jobSchedule.findMany();
      return new Map(rows.map((row) => [row.name, row.lastTick]));
    },

    transaction<T>(work: (tx: Prisma.TransactionClient) => Promise<T>): Promise<T> {
      return prisma.$transaction(work);
    },
  };
}

export type JobRepository = ReturnType<typeof createJobRepository>;
