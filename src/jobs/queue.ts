/**
 * Writing a job: one row in the caller's transaction, and a NOTIFY on the jobs channel in
 * that same transaction. PostgreSQL delivers a notification only when its transaction
 * commits (NOTIFY, PostgreSQL docs), so workers wake exactly for committed jobs.
 */
import type { Prisma } from "../db/index.js";
import type { JobPayload } from "./types.js";

export const jobsChannel = "tessera_jobs";

export async function writeJob(
  tx: Prisma.TransactionClient,
  job: { kind: string; payload: JobPayload; runAt: Date; maxAttempts: number; now: Date },
): Promise<string> {
  const row = await tx.job.create({
    data: { kind: job.kind, payload: job.payload, runAt: job.runAt, maxAttempts: job.maxAttempts, createdAt: job.now, updatedAt: job.now },
    select: { id: true },
  });
  await tx.$executeRaw`SELECT pg_notify(${jobsChannel}, '')`;
  return row.id;
}
