/**
 * The audit trail's writer (ASVS 5.0 16.3.1 authentication events, 16.3.2 authorization
 * decisions, 16.3.3 security-control changes): one row per security-relevant domain event,
 * with when, which account and client, the IP and user agent of the request (or the
 * operator of a CLI command) and what else the event says.
 *
 * It is an in-transaction subscriber, not a job: the row is written in the transaction of
 * the change itself, so a committed change always has its record (none lost to a crash or a
 * failing job, 16.4.3) and a change that rolled back has none; the user sees it on the
 * account page the moment the change is done. Events carry nothing secret (shared/events.ts),
 * and only their fields are copied, so no password, token or key reaches a row (16.2.5).
 */
import type { Prisma } from "../../db/index.js";
import type { EventLog } from "../../jobs/index.js";
import type { DomainEventType, RecordedEvent } from "../../shared/index.js";

/**
 * Every domain event type is audited: the check below stops a new type from compiling until
 * it is listed here and given its words in describe.ts, so nothing is left out unnoticed.
 */
export const auditedTypes = [
  "account.registered",
  "account.signed-in",
  "account.sign-in-failed",
  "account.signed-out",
  "account.name-changed",
  "account.primary-email-changed",
  "account.email-added",
  "account.email-verified",
  "account.email-removed",
  "account.password-changed",
  "account.password-change-failed",
  "account.sessions-ended",
  "account.organisation-consent-given",
  "account.organisation-consent-withdrawn",
  "account.application-consent-given",
  "account.application-revoked",
  "account.wallet-linked",
  "account.wallet-unlinked",
  "account.plan-changed",
  "account.deleted",
  "sign-in-link.issued",
  "sign-in-link.used",
  "client.secret-rotated",
  "keys.rotated",
  "keys.retired",
] as const satisfies readonly DomainEventType[];

export type AuditedType = (typeof auditedTypes)[number];

/** Compile-time check that auditedTypes names every domain event type. */
type Unaudited = Exclude<DomainEventType, AuditedType>;
const everyTypeAudited: [Unaudited] extends [never] ? true : Unaudited = true;
void everyTypeAudited;

function auditRow(event: RecordedEvent): Prisma.AuditRecordCreateInput {
  const { type, accountId, id: _eventId, occurredAt, context, ...rest } = event;
  const { clientId, ...detail } = rest as typeof rest & { clientId?: string };
  return {
    type,
    accountId: accountId ?? null,
    clientId: clientId ?? null,
    detail: detail as Prisma.InputJsonObject,
    ip: context?.ip ?? null,
    userAgent: context?.userAgent ?? null,
    operator: context?.operator ?? null,
    occurredAt: new Date(occurredAt),
  };
}

export function recordAuditTrail(events: EventLog): void {
  events.subscribeInTransaction(auditedTypes, async (tx, event) => {
    await tx.auditRecord.create({ data: auditRow(event) });
  });
}
