/**
 * Deletes sign-in links two days after their token expired: by then the token (ten minutes),
 * the browser's flow (an hour) and the mailed confirmation (a day) have all ended, so the row
 * only holds an address nobody needs. The audit trail keeps the record of each link.
 */
import type { PrismaClient } from "../db/index.js";
import { jobType, scheduledTask, type JobHandler } from "../jobs/index.js";
import type { Clock } from "../shared/index.js";
import { createSignInLinkRepository } from "./repository.js";

const keepDays = 2;

export const purgeSignInLinks = jobType<Record<string, never>>("sign-in-links.purge");

export function purgeSignInLinksHandler(prisma: PrismaClient, clock: Clock): JobHandler<Record<string, never>> {
  const repo = createSignInLinkRepository(prisma);
  return scheduledTask(async ({ log }) => {
    const count = await repo.purgeExpiredBefore(new Date(clock.now().getTime() - keepDays * 86_400_000));
    if (count) log.info({ count }, "purged old sign-in links");
  });
}
