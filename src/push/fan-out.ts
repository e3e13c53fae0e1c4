/**
 * The push subscriber: turns an account's domain event into one `push.deliver` job per
 * client that should hear of it (repository.recipients), in one transaction. Rules:
 * - name and primary email changes are CAEP token-claims-change events carrying only the
 *   claims the client's granted scopes let it see (OIDC Core §5.4); a client that may see
 *   none of them hears nothing; a plan change (src/billing) likewise carries the `plan`
 *   claims, to clients granted the `plan` scope;
 * - ended sessions are CAEP session-revoked, a password change CAEP credential-change, a
 *   deleted account RISC account-purged (to the clients connected when it was deleted);
 * - a client gets only the event types its stream asked for, none on a disabled stream;
 * - every SET of one change shares the change's event id as `txn` (SSF §4.1.x).
 */
import type { PrismaClient } from "../db/index.js";
import type { EventLog, JobQueue } from "../jobs/index.js";
import type { Clock, DomainEventType, RecordedEvent } from "../shared/index.js";
import { pushDelivery, type DeliveryPayload } from "./deliver.js";
import { claimScopes, eventTypes, type EventTypeUri, type PushedClaim } from "./event-types.js";
import type { PushRepository, Recipient } from "./repository.js";

const pushedEvents = ["account.name-changed", "account.primary-email-changed", "account.plan-changed", "account.sessions-ended", "account.password-changed", "account.deleted"] as const satisfies readonly DomainEventType[];

function securityEvent(event: RecordedEvent): { type: EventTypeUri; claims?: PushedClaim[] } | undefined {
  switch (event.type) {
    case "account.name-changed":
      return { type: eventTypes.tokenClaimsChange, claims: ["name"] };
    case "account.primary-email-changed":
      return { type: eventTypes.tokenClaimsChange, claims: ["email", "email_verified"] };
    case "account.plan-changed":
      return { type: eventTypes.tokenClaimsChange, claims: ["plan", "plan_expires_at"] };
    case "account.sessions-ended":
      return { type: eventTypes.sessionRevoked };
    case "account.password-changed":
      return { type: eventTypes.credentialChange };
    case "account.deleted":
      return { type: eventTypes.accountPurged };
    default:
      return undefined;
  }
}

function wants(recipient: Recipient, type: EventTypeUri): boolean {
  return recipient.status !== "disabled" && (!recipient.eventsRequested.length || recipient.eventsRequested.includes(type));
}

export function subscribePush(deps: { events: EventLog; jobs: JobQueue; repo: PushRepository; clock: Clock; prisma: PrismaClient }): void {
  deps.events.subscribe("push", pushedEvents, {
    maxAttempts: 10,
    leaseSeconds: 60,
    retryDelaySeconds: (attempt) => Math.min(3600, 2 ** attempt),
    async handle(event) {
      const security = securityEvent(event);
      if (!security) return;
      const recipients =
        event.type === "account.deleted"
          ? (await deps.repo.withPushEndpoint(event.clientIds)).map((clientId) => ({ clientId, scopes: new Set<string>(), status: "enabled" as const, eventsRequested: [] }))
          : await deps.repo.recipients(event.accountId, deps.clock.now());
      const deliveries: DeliveryPayload[] = [];
      for (const recipient of recipients) {
        if (event.type !== "account.deleted" && !wants(recipient, security.type)) continue;
        const claims = security.claims?.filter((claim) => recipient.scopes.has(claimScopes[claim]));
        if (security.claims && !claims?.length) continue;
        deliveries.push({
          clientId: recipient.clientId,
          type: security.type,
          accountId: event.accountId,
          txn: event.id,
          eventTimestamp: Math.floor(new Date(event.occurredAt).getTime() / 1000),
          ...(claims && { claims }),
        });
      }
      if (!deliveries.length) return;
      await deps.prisma.$transaction(async (tx) => {
        for (const delivery of deliveries) await deps.jobs.enqueue(tx, pushDelivery, delivery);
      });
    },
  });
}
