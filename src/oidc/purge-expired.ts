/**
 * Deletes expired protocol artefacts. The adapter already ignores them on read; this keeps
 * the table from growing without bound. Runs as a scheduled job (src/schedules.ts).
 */
import type { PrismaClient } from "../db/index.js";
import { jobType, scheduledTask, type JobHandler } from "../jobs/index.js";
import type { Clock } from "../shared/index.js";

export async function purgeExpired(prisma: PrismaClient, clock: Clock): Promise<number> {
  const { count } = await prisma.oidcModel.deleteMany({ where: { expiresAt: { lte: clock.now() } } });
  return count;
}

export const purgeExpiredArtefacts = jobType<Record<string, never>>("oidc.purge-expired");

export function purgeExpiredHandler(prisma: PrismaClient, clock: Clock): JobHandler<Record<string, never>> {
  return scheduledTask(async ({ log }) => {
    const count = await purgeExpired(prisma, clock);
    if (count) log.info({ count }, "purged expired protocol artefacts");
  });
}
