/**
 * Waiting for background work that is due a little later than now (a password-reset
 * request runs a moment after its answer): `whenIdle` alone returns while such a job is
 * not due yet, so this waits until no job of the kind is left, then for what they queued.
 */
import { eventually } from "./eventually.js";
import type { TestTessera } from "./tessera.js";

export const passwordResetRequests = "accounts.password-reset-requested";

export async function jobsDone(tessera: Pick<TestTessera, "db" | "jobs">, kind: string, timeoutMs = 10_000): Promise<void> {
  await eventually(async () => (await tessera.db.prisma.job.count({ where: { kind, state: { in: ["ready", "running"] } } })) === 0, timeoutMs, `every ${kind} job to run`);
  await tessera.jobs.whenIdle();
}
