import type { JobContext, JobHandler } from "./types.js";

/**
 * The handler of a job a schedule enqueues: one attempt, since the next tick is the retry,
 * and a lease long enough for a sweep over a large table.
 */
export function scheduledTask(run: (context: JobContext) => Promise<void>): JobHandler<Record<string, never>> {
  return { maxAttempts: 1, leaseSeconds: 300, retryDelaySeconds: () => 0, run: (_payload, context) => run(context) };
}
