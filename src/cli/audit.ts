/**
 * `tessera audit list`: the audit trail for the operator (ASVS 5.0 16.3.1), newest first —
 * what, when, account, client, IP, user agent, and who ran an operator command. Filters:
 * an account (by id, or by address, which also finds failed sign-ins typed with that
 * address whether or not it belongs to an account), event types, a start time, a count.
 */
import { InvalidArgumentError, type Command } from "commander";
import { auditedTypes, createAuditRepository, describeAuditRecord, type AuditFilter, type AuditRecord } from "../security/index.js";
import type { CliContext } from "./context.js";
import { collect, withJson } from "./options.js";
import { printList, type OutputOptions } from "./output.js";

interface AuditListOptions extends OutputOptions {
  account?: string;
  type?: string[];
  since?: Date;
  limit: number;
}

const units: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000 };

/** An ISO date or time (`2026-12-01`, `2026-12-01T08:00:00Z`), or a span back from now (`30m`, `12h`, `7d`). */
export function sinceOption(now: () => Date) {
  return (value: string): Date => {
    const span = /^(\d{1,6})([mhd])$/.exec(value);
    if (span) return new Date(now().getTime() - Number(span[1]) * units[span[2]!]!);
    const date = /^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(value) ? new Date(value) : undefined;
    if (!date || Number.isNaN(date.getTime())) throw new InvalidArgumentError("Must be a date (2026-12-01), a time (2026-12-01T08:00:00Z) or a span back from now (30m, 12h, 7d).");
    return date;
  };
}

function auditType(value: string, previous: string[] | undefined): string[] {
  if (!(auditedTypes as readonly string[]).includes(value)) throw new InvalidArgumentError(`Must be one of ${auditedTypes.join(", ")}.`);
  return collect(value, previous);
}

function limit(value: string): number {
  const number = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!(number >= 1 && number <= 10_000)) throw new InvalidArgumentError("Must be a whole number from 1 to 10000.");
  return number;
}

export function registerAuditCommands(program: Command, context: CliContext): void {
  const audit = program.command("audit").description("read the audit trail of security events");

  withJson(
    audit
      .command("list")
      .description("list audit records, newest first")
      .option("--account <id-or-email>", "only this account's records (an address also finds failed sign-ins typed with it)")
      .option("--type <type>", "only records of this type (repeat for several)", auditType)
      .option("--since <when>", "only records from this date, time or span back from now (2026-12-01, 12h, 7d)", sinceOption(() => context.clock.now()))
      .option("--limit <n>", "at most this many", limit, 100),
  ).action(async (options: AuditListOptions) =>
    context.withDatabase(async (db) => {
      const repo = createAuditRepository(db.prisma);
      const filter: AuditFilter = { types: options.type, since: options.since, limit: options.limit };
      if (options.account?.includes("@")) {
        const identifier = options.account.trim().toLowerCase();
        const owner = await db.prisma.email.findFirst({ where: { normalized: identifier }, orderBy: { owned: { sort: "asc", nulls: "last" } }, select: { userId: true } });
        Object.assign(filter, { identifier, ...(owner && { accountId: owner.userId }) });
      } else if (options.account) {
        filter.accountId = options.account.trim();
      }
      const records = await repo.list(filter);
      const names = await repo.names(records);
      printList(
        options,
        records,
        [
          { header: "WHEN", value: (row) => row.occurredAt },
          { header: "TYPE", value: (row) => row.type },
          { header: "ACCOUNT", value: (row) => row.accountId },
          { header: "CLIENT", value: (row) => row.clientId },
          { header: "IP", value: (row) => row.ip },
          { header: "BY", value: (row) => (row.operator ? `operator ${row.operator}` : undefined) },
          { header: "WHAT", value: (row) => describeAuditRecord(row, names) },
        ],
        (row: AuditRecord) => ({
          id: row.id,
          type: row.type,
          occurredAt: row.occurredAt.toISOString(),
          accountId: row.accountId,
          clientId: row.clientId,
          ip: row.ip,
          userAgent: row.userAgent,
          operator: row.operator,
          detail: row.detail,
          description: describeAuditRecord(row, names),
        }),
      );
    }),
  );
}
