/**
 * Deletes throttling counters whose window has ended: they no longer limit anything, and
 * without this every address and IP ever seen would leave a row behind.
 */
import type { PrismaClient } from "../../db/index.js";
import { jobType, scheduledTask, type JobHandler } from "../../jobs/index.js";
import type { Clock } from "../../shared/index.js";

export const purgeThrottleCounters = jobType<Record<string, never>>("security.purge-throttle-counters");

export function purgeThrottleCountersHandler(prisma: PrismaClient, clock: Clock): JobHandler<Record<string, never>> {
  return scheduledTask(async ({ log }) => {
    const { count } = await prisma.throttleCounter.deleteMany({ where: { expiresAt: { lte: clock.now() } } });
    if (count) log.info({ count }, "purged ended throttling windows");
  });
}
