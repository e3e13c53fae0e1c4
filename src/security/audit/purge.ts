/**
 * Deletes audit records older than the retention (AUDIT_RETENTION_DAYS): the trail is kept
 * long enough to investigate an incident, and not forever, since each record holds an IP
 * address and a user agent (personal data; ASVS 5.0 16.2.x asks for a documented retention).
 */
import type { PrismaClient } from "../../db/index.js";
import { jobType, scheduledTask, type JobHandler } from "../../jobs/index.js";
import type { Clock } from "../../shared/index.js";
import { createAuditRepository } from "./repository.js";

export const purgeAuditRecords = jobType<Record<string, never>>("audit.purge");

export function purgeAuditRecordsHandler(prisma: PrismaClient, clock: Clock, retentionDays: number): JobHandler<Record<string, never>> {
  const repo = createAuditRepository(prisma);
  return scheduledTask(async ({ log }) => {
    const count = await repo.purge(new Date(clock.now().getTime() - retentionDays * 86_400_000));
    if (count) log.info({ count, retentionDays }, "purged old audit records");
  });
}
