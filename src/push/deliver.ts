/**
 * The `push.deliver` job: one Security Event Token to one client, pushed as RFC 8935 says.
 * - The SET is built at each attempt with the job id as `jti`, so a retry is recognisably
 *   the same SET (receivers drop duplicates by jti: delivery is at least once), and a
 *   token-claims-change carries the claims' values as they are when it is sent — a retry
 *   that lands after a later change can never put an older value back.
 * - POST of the compact SET, `Content-Type: application/secevent+jwt`; 202 (any 2xx) is
 *   success (RFC 8935 §2.2). A 400 `{"err": …}` is logged with its code and not retried,
 *   except `invalid_key` (the receiver may not have fetched a rotated key yet) (§2.3).
 *   Redirects are not followed. Network errors, timeouts and other statuses are retried on
 *   the job runner's schedule, then the job is dead for the operator.
 * - A paused stream holds its SETs (the job waits, without using attempts, until resumed);
 *   a disabled one drops them (SSF §8.1.1.3); so does a client that no longer has a
 *   push endpoint.
 */
import type { ClaimContributor } from "../accounts/index.js";
import { JobDeferred, jobType, PermanentJobError, steppedDelay, type JobHandler } from "../jobs/index.js";
import { eventTypes, type EventTypeUri, type PushedClaim } from "./event-types.js";
import { checkPushEndpoint, PushEndpointError } from "./push-endpoint.js";
import type { PushRepository } from "./repository.js";
import type { SetSigner, SubjectId } from "./security-event-token.js";

export type DeliveryPayload = {
  clientId: string;
  type: EventTypeUri;
  /** The account the event is about (absent for verification events). */
  accountId?: string;
  /** The domain event's id, shared by every SET of one change. */
  txn?: string;
  /** token-claims-change: the claims that changed (and that this client may see). */
  claims?: PushedClaim[];
  /** Seconds since the epoch when the change happened. */
  eventTimestamp?: number;
  /** verification: the receiver's opaque state, echoed back. */
  state?: string;
};

export const pushDelivery = jobType<DeliveryPayload>("push.deliver");

/** Keycloak's SSF transmitter schedule: about 31 hours in all before the SET is dead. */
const retrySchedule = [1, 5, 30, 120, 600, 3600, 6 * 3600, 24 * 3600];
const heldForSeconds = 3600;
const timeoutMs = 10_000;

const retryableErrors = new Set(["invalid_key"]);

export function pushDeliveryHandler(deps: {
  repo: PushRepository;
  sign: SetSigner;
  issuer: string;
  production: boolean;
  clock: { now(): Date };
  fetch?: typeof fetch;
  /** Where claims other rooms contribute (the plan) get their current values. */
  claimContributors?: readonly ClaimContributor[];
}): JobHandler<DeliveryPayload> {
  const send = deps.fetch ?? fetch;
  return {
    maxAttempts: retrySchedule.length + 1,
    retryDelaySeconds: steppedDelay(retrySchedule),
    leaseSeconds: 60,
    async run(payload, { idempotencyKey, log }) {
      const stream = await deps.repo.stream(payload.clientId);
      if (!stream?.endpoint || stream.status === "disabled") {
        log.info({ clientId: payload.clientId }, "security event dropped: the client has no enabled push stream");
        return;
      }
      if (stream.status === "paused") throw new JobDeferred(new Date(deps.clock.now().getTime() + heldForSeconds * 1000));

      const event = await eventPayload(payload, deps.repo, deps.claimContributors ?? []);
      if (!event) return; // the account is gone: there is no claim left to report
      const subject: SubjectId = payload.type === eventTypes.verification ? { format: "opaque", id: stream.id } : { format: "iss_sub", iss: deps.issuer, sub: payload.accountId ?? "" };
      const token = await deps.sign({ audience: payload.clientId, jti: idempotencyKey, txn: payload.txn, subject, type: payload.type, payload: event }, deps.clock.now());

      // Checked again here: an operator may have set it (CLI), and a name can come to
      // resolve into private address space after it was registered.
      const endpoint = await checkPushEndpoint(stream.endpoint, { production: deps.production }).catch((error: unknown) => {
        throw error instanceof PushEndpointError ? new PermanentJobError(`push endpoint refused: it ${error.message}`) : error;
      });
      const response = await send(endpoint, {
        method: "POST",
        redirect: "manual",
        signal: AbortSignal.timeout(timeoutMs),
        headers: { "content-type": "application/secevent+jwt", accept: "application/json", ...(stream.authorizationHeader && { authorization: stream.authorizationHeader }) },
        body: token,
      });
      await settle(response, log, payload);
    },
  };
}

/** The current values of `names`: the account's own from the repository, the rest from their contributor. */
async function claimValues(repo: PushRepository, contributors: readonly ClaimContributor[], accountId: string, names: readonly PushedClaim[]): Promise<Record<string, unknown> | undefined> {
  const values: Record<string, unknown> | undefined = await repo.claims(accountId, names);
  if (!values) return undefined;
  for (const contributor of contributors) {
    const wanted = names.filter((name) => contributor.claims.includes(name));
    if (!wanted.length) continue;
    const contributed = await contributor.resolve(accountId);
    for (const name of wanted) if (contributed[name] !== undefined) values[name] = contributed[name];
  }
  return values;
}

async function eventPayload(payload: DeliveryPayload, repo: PushRepository, contributors: readonly ClaimContributor[]): Promise<Record<string, unknown> | undefined> {
  const timestamp = payload.eventTimestamp === undefined ? {} : { event_timestamp: payload.eventTimestamp };
  switch (payload.type) {
    case eventTypes.tokenClaimsChange: {
      const claims = await claimValues(repo, contributors, payload.accountId ?? "", payload.claims ?? []);
      return claims && { ...timestamp, claims };
    }
    case eventTypes.credentialChange:
      return { ...timestamp, credential_type: "password", change_type: "update" };
    case eventTypes.verification:
      return payload.state === undefined ? {} : { state: payload.state };
    default:
      return timestamp;
  }
}

async function settle(response: Response, log: { info(details: object, message: string): void; warn(details: object, message: string): void }, payload: DeliveryPayload): Promise<void> {
  const details = { clientId: payload.clientId, type: payload.type, status: response.status };
  if (response.status >= 200 && response.status < 300) {
    log.info(details, "security event delivered");
    return;
  }
  if (response.status >= 300 && response.status < 400) throw new PermanentJobError(`receiver answered ${response.status}; redirects are not followed`);
  if (response.status === 400) {
    const body = (await response.json().catch(() => ({}))) as { err?: unknown; description?: unknown };
    const err = typeof body.err === "string" ? body.err : "invalid_request";
    const description = typeof body.description === "string" ? `: ${body.description.slice(0, 200)}` : "";
    log.warn({ ...details, err }, "receiver refused the security event");
    if (!retryableErrors.has(err)) throw new PermanentJobError(`receiver refused the SET with ${err}${description}`);
    throw new Error(`receiver refused the SET with ${err}${description}`);
  }
  throw new Error(`receiver answered ${response.status}`);
}
