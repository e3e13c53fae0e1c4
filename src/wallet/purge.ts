/** Deletes wallet challenges a day after they expired: by then nobody can use or ask about them. */
import type { PrismaClient } from "../db/index.js";
import { jobType, scheduledTask, type JobHandler } from "../jobs/index.js";
import type { Clock } from "../shared/index.js";
import { createWalletRepository } from "./repository.js";

export const purgeWalletChallenges = jobType<Record<string, never>>("wallet.purge-challenges");

export function purgeWalletChallengesHandler(prisma: PrismaClient, clock: Clock): JobHandler<Record<string, never>> {
  const repo = createWalletRepository(prisma);
  return scheduledTask(async ({ log }) => {
    const count = await repo.purgeChallenges(new Date(clock.now().getTime() - 86_400_000));
    if (count) log.info({ count }, "purged expired wallet challenges");
  });
}
