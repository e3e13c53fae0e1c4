/**
 * The Shared Signals transmitter's HTTP side (SSF 1.0 §7 and §8): discovery at
 * /.well-known/ssf-configuration, and each client's own stream — configuration, status
 * and verification — behind a client-credentials access token in the Authorization header
 * carrying `ssf.read` (to read) or `ssf.manage` (to change), as the CAEP interoperability
 * profile asks. Errors are OAuth-shaped JSON (the API edge).
 */
import type { ApiContext, Edge } from "../http/edge/index.js";
import { ApiError, jsonBody } from "../http/edge/index.js";
import type { StreamChanges, StreamService } from "./streams.js";
import { pushMethod } from "./streams.js";
import type { StreamStatus } from "./repository.js";

export const ssfPaths = {
  configuration: "/.well-known/ssf-configuration",
  stream: "/ssf/stream",
  status: "/ssf/status",
  verify: "/ssf/verify",
} as const;

/** Who a bearer token was issued to, and with which scopes; undefined for no valid token. */
export type BearerLookup = (token: string) => Promise<{ clientId: string; scopes: Set<string> } | undefined>;

const readScopes = ["ssf.read", "ssf.manage"];
const statuses: readonly StreamStatus[] = ["enabled", "paused", "disabled"];

function optionalString(body: Record<string, unknown>, name: string): string | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw new ApiError("invalid_request", `${name} must be a string.`);
  return value;
}

function streamChanges(body: Record<string, unknown>, replace: boolean): StreamChanges {
  const changes: StreamChanges = {};
  const delivery = body.delivery;
  if (delivery !== undefined) {
    if (!delivery || typeof delivery !== "object") throw new ApiError("invalid_request", "delivery must be an object.");
    const { method, endpoint_url: endpoint, authorization_header: authorization } = delivery as Record<string, unknown>;
    if (method !== undefined && method !== pushMethod) throw new ApiError("invalid_request", `delivery.method must be ${pushMethod}: Tessera only pushes (RFC 8935).`);
    if (endpoint !== undefined && endpoint !== null && typeof endpoint !== "string") throw new ApiError("invalid_request", "delivery.endpoint_url must be a string.");
    if (authorization !== undefined && authorization !== null && typeof authorization !== "string") throw new ApiError("invalid_request", "delivery.authorization_header must be a string.");
    if (endpoint !== undefined || replace) changes.endpoint = (endpoint as string | null | undefined) ?? null;
    if (authorization !== undefined || replace) changes.authorizationHeader = (authorization as string | null | undefined) ?? null;
  }
  const requested = body.events_requested;
  if (requested !== undefined) {
    if (!Array.isArray(requested) || !requested.every((item) => typeof item === "string")) throw new ApiError("invalid_request", "events_requested must be an array of event type URIs.");
    changes.eventsRequested = requested;
  } else if (replace) {
    changes.eventsRequested = [];
  }
  return changes;
}

export function mountSsfRoutes(edge: Edge, deps: { streams: StreamService; bearer: BearerLookup }): void {
  const api = edge.api();
  const { issuer } = edge;

  async function caller(ctx: ApiContext, scopes: string[]): Promise<string> {
    const match = /^Bearer ([\w.~+/-]+=*)$/.exec(ctx.get("authorization"));
    const found = match ? await deps.bearer(match[1]!) : undefined;
    if (!found) {
      ctx.set("WWW-Authenticate", 'Bearer error="invalid_token"');
      throw new ApiError("invalid_token", "Send a valid access token from the client_credentials grant in the Authorization header (Bearer).", 401);
    }
    if (!scopes.some((scope) => found.scopes.has(scope))) {
      ctx.set("WWW-Authenticate", `Bearer error="insufficient_scope", scope="${scopes.at(-1)}"`);
      throw new ApiError("insufficient_scope", `This needs an access token with the ${scopes.join(" or ")} scope.`, 403);
    }
    return found.clientId;
  }
  const streamId = (ctx: ApiContext, body?: Record<string, unknown>) => (typeof ctx.query.stream_id === "string" ? ctx.query.stream_id : body && optionalString(body, "stream_id"));

  api.get(ssfPaths.configuration, (ctx) => {
    ctx.set("Cache-Control", "public, max-age=3600");
    ctx.body = {
      spec_version: "1_0",
      issuer,
      jwks_uri: `${issuer}/jwks`,
      delivery_methods_supported: [pushMethod],
      configuration_endpoint: `${issuer}${ssfPaths.stream}`,
      status_endpoint: `${issuer}${ssfPaths.status}`,
      verification_endpoint: `${issuer}${ssfPaths.verify}`,
      authorization_schemes: [{ spec_urn: "urn:ietf:rfc:6749" }],
    };
  });

  api.get(ssfPaths.stream, async (ctx) => {
    ctx.body = await deps.streams.read(await caller(ctx, readScopes), streamId(ctx));
  });
  for (const [method, replace] of [["post", true], ["put", true], ["patch", false]] as const) {
    api[method](ssfPaths.stream, async (ctx) => {
      const clientId = await caller(ctx, ["ssf.manage"]);
      const body = jsonBody(ctx);
      ctx.body = await deps.streams.update(clientId, streamChanges(body, replace), streamId(ctx, body));
    });
  }
  api.delete(ssfPaths.stream, async (ctx) => {
    const clientId = await caller(ctx, ["ssf.manage"]);
    await deps.streams.update(clientId, { endpoint: null, eventsRequested: [], authorizationHeader: null }, streamId(ctx));
    ctx.status = 204;
  });

  api.get(ssfPaths.status, async (ctx) => {
    ctx.body = await deps.streams.status(await caller(ctx, readScopes), streamId(ctx));
  });
  api.post(ssfPaths.status, async (ctx) => {
    const clientId = await caller(ctx, ["ssf.manage"]);
    const body = jsonBody(ctx);
    const status = statuses.find((candidate) => candidate === body.status);
    if (!status) throw new ApiError("invalid_request", "status must be enabled, paused or disabled.");
    ctx.body = await deps.streams.setStatus(clientId, status, optionalString(body, "reason"), streamId(ctx, body));
  });

  api.post(ssfPaths.verify, async (ctx) => {
    const clientId = await caller(ctx, ["ssf.manage"]);
    const body = jsonBody(ctx);
    await deps.streams.verify(clientId, optionalString(body, "state"), streamId(ctx, body));
    ctx.status = 204;
  });
}
