/**
 * Deletes confirmation links long past use. A link stays for `keepDays` after it expired so
 * that following an old link still says "expired" (with what to do next) rather than
 * "not a valid link"; after that the row only holds a key hash and an object id nobody needs.
 */
import type { PrismaClient } from "../db/index.js";
import { jobType, scheduledTask, type JobHandler } from "../jobs/index.js";
import type { Clock } from "../shared/index.js";

const keepDays = 30;

export const purgeConfirmations = jobType<Record<string, never>>("confirmation.purge");

export function purgeConfirmationsHandler(prisma: PrismaClient, clock: Clock): JobHandler<Record<string, never>> {
  return scheduledTask(async ({ log }) => {
    const before = new Date(clock.now().getTime() - keepDays * 86_400_000);
    const { count } = await prisma.confirmation.deleteMany({ where: { expiresAt: { lt: before } } });
    if (count) log.info({ count }, "purged old confirmation links");
  });
}
