/**
 * A client's own Shared Signals stream, as the SSF 1.0 §8.1 management API shows it:
 * configuration (endpoint, events requested), status and verification. One stream per
 * client, made on first use; a client only ever sees and changes its own.
 */
import type { JobQueue } from "../jobs/index.js";
import type { PrismaClient } from "../db/index.js";
import { AppError, type Clock } from "../shared/index.js";
import { pushDelivery } from "./deliver.js";
import { eventsSupported, eventTypes, isSupportedEvent } from "./event-types.js";
import { checkPushEndpoint, PushEndpointError } from "./push-endpoint.js";
import type { PushRepository, Stream, StreamStatus } from "./repository.js";

export const pushMethod = "urn:ietf:rfc:8935";

export interface StreamConfiguration {
  stream_id: string;
  iss: string;
  aud: string;
  delivery: { method: string; endpoint_url: string | null };
  events_supported: readonly string[];
  events_requested: readonly string[];
  events_delivered: readonly string[];
  min_verification_interval: number;
}

export interface StreamChanges {
  endpoint?: string | null;
  eventsRequested?: string[];
  authorizationHeader?: string | null;
}

export class StreamError extends AppError {}

export function createStreamService(deps: { repo: PushRepository; jobs: JobQueue; prisma: PrismaClient; clock: Clock; issuer: string; production: boolean }) {
  const { repo } = deps;

  function configuration(stream: Stream): StreamConfiguration {
    const delivered = stream.eventsRequested.length ? eventsSupported.filter((type) => stream.eventsRequested.includes(type)) : eventsSupported;
    return {
      stream_id: stream.id,
      iss: deps.issuer,
      aud: stream.clientId,
      delivery: { method: pushMethod, endpoint_url: stream.endpoint ?? null },
      events_supported: eventsSupported,
      events_requested: stream.eventsRequested.length ? stream.eventsRequested : eventsSupported,
      events_delivered: delivered,
      min_verification_interval: 0,
    };
  }

  async function own(clientId: string, streamId?: string): Promise<Stream> {
    const stream = await repo.stream(clientId);
    // Another client's stream id is answered exactly like an unknown one.
    if (!stream || (streamId !== undefined && streamId !== stream.id)) throw new StreamError("push.stream_not_found", "There is no such stream for this client.", 404);
    return stream;
  }

  return {
    async read(clientId: string, streamId?: string): Promise<StreamConfiguration> {
      return configuration(await own(clientId, streamId));
    },

    async update(clientId: string, changes: StreamChanges, streamId?: string): Promise<StreamConfiguration> {
      await own(clientId, streamId);
      if (changes.endpoint) {
        try {
          await checkPushEndpoint(changes.endpoint, { production: deps.production });
        } catch (error) {
          if (error instanceof PushEndpointError) throw new StreamError("push.bad_endpoint", `delivery.endpoint_url ${error.message}.`, 400);
          throw error;
        }
      }
      const unknown = changes.eventsRequested?.filter((type) => !isSupportedEvent(type)) ?? [];
      if (unknown.length) throw new StreamError("push.bad_events", `events_requested has event types Tessera does not send: ${unknown.join(", ")}.`, 400);
      await repo.updateStream(clientId, changes);
      return configuration(await own(clientId));
    },

    async status(clientId: string, streamId?: string): Promise<{ stream_id: string; status: StreamStatus; reason?: string }> {
      const stream = await own(clientId, streamId);
      return { stream_id: stream.id, status: stream.status, ...(stream.statusReason && { reason: stream.statusReason }) };
    },

    /** Resuming a paused stream sends what it held, at once. */
    async setStatus(clientId: string, status: StreamStatus, reason: string | undefined, streamId?: string) {
      const stream = await own(clientId, streamId);
      await repo.updateStream(clientId, { status, statusReason: reason ?? null });
      if (status === "enabled" && stream.status !== "enabled") await deps.jobs.runNow(pushDelivery, "clientId", clientId);
      return { stream_id: stream.id, status, ...(reason && { reason }) };
    },

    /** SSF §8.1.4: sends the verification event, echoing the receiver's state. */
    async verify(clientId: string, state: string | undefined, streamId?: string): Promise<void> {
      const stream = await own(clientId, streamId);
      if (!stream.endpoint) throw new StreamError("push.no_endpoint", "The stream has no delivery endpoint to verify.", 400);
      await deps.prisma.$transaction((tx) => deps.jobs.enqueue(tx, pushDelivery, { clientId, type: eventTypes.verification, ...(state !== undefined && { state }) }));
    },
  };
}

export type StreamService = ReturnType<typeof createStreamService>;
