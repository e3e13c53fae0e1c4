/**
 * The domain event log. `record` writes the event in the caller's transaction and, in that
 * same transaction, one job per subscriber to its type: an event exists, and reaches every
 * subscriber at least once, if and only if the change commits. Subscribers register at
 * start-up, before anything is recorded; each is a job kind (`event.<name>`), so a failing
 * subscriber is retried and finally dead on its own without holding back the others.
 */
import type { Prisma } from "../db/index.js";
import type { Clock } from "../shared/index.js";
import type { DomainEvent, DomainEventType, RecordedEvent } from "../shared/index.js";
import type { JobRunner } from "./runner.js";
import { jobType, type JobContext, type JobHandler, type JobPayload, type JobType } from "./types.js";

type EventPayload = { event: RecordedEvent } & JobPayload;

export interface EventRecorder {
  record(tx: Prisma.TransactionClient, event: DomainEvent): Promise<void>;
}

export interface EventLog extends EventRecorder {
  subscribe(
    name: string,
    types: readonly DomainEventType[],
    handler: Omit<JobHandler<EventPayload>, "run"> & { handle(event: RecordedEvent, context: JobContext): Promise<void> },
  ): void;
}

export function createEventLog(deps: { jobs: JobRunner; clock: Clock }): EventLog {
  const subscribers: { types: ReadonlySet<DomainEventType>; job: JobType<EventPayload> }[] = [];
  return {
    subscribe(name, types, handler) {
      const job = jobType<EventPayload>(`event.${name}`);
      deps.jobs.define(job, { ...handler, run: (payload, context) => handler.handle(payload.event, context) });
      subscribers.push({ types: new Set(types), job });
    },

    async record(tx, event) {
      const { type, accountId, ...data } = event;
      const occurredAt = deps.clock.now();
      const row = await tx.domainEvent.create({ data: { type, accountId, data, occurredAt }, select: { id: true } });
      const recorded = { ...event, id: row.id, occurredAt: occurredAt.toISOString() } as RecordedEvent;
      for (const subscriber of subscribers) {
        if (subscriber.types.has(type)) await deps.jobs.enqueue(tx, subscriber.job, { event: recorded });
      }
    },
  };
}
