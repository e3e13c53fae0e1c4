/**
 * The domain event log. `record` writes the event in the caller's transaction, hands it to
 * the subscribers with the request context of the work running now (IP address and user
 * agent, or the operator: src/shared/request-context.ts; the audit trail keeps it under its
 * retention, the event row does not), and in that same transaction:
 * - runs each in-transaction subscriber (the audit trail): it writes with the change, so it
 *   has a row for every committed change and none for one that rolled back;
 * - writes one job per job subscriber to its type: an event exists, and reaches every
 *   subscriber at least once, if and only if the change commits. Each is a job kind
 *   (`event.<name>`), so a failing subscriber is retried and finally dead on its own
 *   without holding back the others.
 * Subscribers register at start-up, before anything is recorded.
 */
import type { Prisma } from "../db/index.js";
import { currentRequestContext, type Clock } from "../shared/index.js";
import type { DomainEvent, DomainEventType, RecordedEvent } from "../shared/index.js";
import type { JobRunner } from "./runner.js";
import { jobType, type JobContext, type JobHandler, type JobPayload, type JobType } from "./types.js";

type EventPayload = { event: RecordedEvent } & JobPayload;

export interface EventRecorder {
  record(tx: Prisma.TransactionClient, event: DomainEvent): Promise<void>;
}

export interface EventLog extends EventRecorder {
  subscribe<T extends DomainEventType>(
    name: string,
    types: readonly T[],
    handler: Omit<JobHandler<EventPayload>, "run"> & { handle(event: RecordedEvent<T>, context: JobContext): Promise<void> },
  ): void;
  /**
   * A subscriber that runs inside the recording transaction, before the change commits: its
   * writes commit or roll back with the change, and a failure fails the change.
   */
  subscribeInTransaction<T extends DomainEventType>(types: readonly T[], handle: (tx: Prisma.TransactionClient, event: RecordedEvent<T>) => Promise<void>): void;
}

export function createEventLog(deps: { jobs: JobRunner; clock: Clock }): EventLog {
  const subscribers: { types: ReadonlySet<DomainEventType>; job: JobType<EventPayload> }[] = [];
  const inTransaction: { types: ReadonlySet<DomainEventType>; handle(tx: Prisma.TransactionClient, event: RecordedEvent): Promise<void> }[] = [];
  return {
    subscribe(name, types, handler) {
      const job = jobType<EventPayload>(`event.${name}`);
      deps.jobs.define(job, { ...handler, run: (payload, context) => handler.handle(payload.event as RecordedEvent<(typeof types)[number]>, context) });
      subscribers.push({ types: new Set(types), job });
    },

    subscribeInTransaction(types, handle) {
      inTransaction.push({ types: new Set(types), handle: (tx, event) => handle(tx, event as RecordedEvent<(typeof types)[number]>) });
    },

    async record(tx, event) {
      const { type, accountId, ...data } = event;
      const occurredAt = deps.clock.now();
      const context = currentRequestContext();
      // The context (IP address, user agent) goes to the subscribers, not into the event row:
      // the audit trail keeps it under its retention, and the event log keeps no copy.
      const row = await tx.domainEvent.create({ data: { type, accountId, data, occurredAt }, select: { id: true } });
      const recorded = { ...event, id: row.id, occurredAt: occurredAt.toISOString(), ...(context && { context }) } as RecordedEvent;
      for (const subscriber of inTransaction) {
        if (subscriber.types.has(type)) await subscriber.handle(tx, recorded);
      }
      for (const subscriber of subscribers) {
        if (subscriber.types.has(type)) await deps.jobs.enqueue(tx, subscriber.job, { event: recorded });
      }
    },
  };
}
