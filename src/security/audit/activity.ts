/**
 * "Recent security activity" on the account page: the account's last audit records in plain
 * words, newest first, with when and from where (IP address and a browser summary), so a
 * person notices a sign-in or change that was not theirs (ASVS 5.0 6.3.7's intent, and
 * OWASP's advice to show users their own security events).
 */
import { browserSummary, describeAuditRecord } from "./describe.js";
import type { AuditRepository } from "./repository.js";

export interface SecurityActivityItem {
  what: string;
  at: Date;
  ip: string | undefined;
  browser: string;
}

/** How many records the page shows. */
export const recentActivityCount = 20;

export function securityActivity(repo: AuditRepository, retentionDays: number) {
  return {
    retentionDays,
    limit: recentActivityCount,
    async recent(accountId: string): Promise<SecurityActivityItem[]> {
      const records = await repo.list({ accountId, limit: recentActivityCount });
      const names = await repo.names(records);
      return records.map((record) => ({
        what: describeAuditRecord(record, names),
        at: record.occurredAt,
        ip: record.ip ?? undefined,
        browser: browserSummary(record.userAgent),
      }));
    },
  };
}

export type SecurityActivity = ReturnType<typeof securityActivity>;
