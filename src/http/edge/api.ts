/**
 * The JSON API edge, for programs (a client's backend, a script-driven front end): JSON or
 * urlencoded bodies with a limit, no-store, every failure as OAuth's
 * `{ error, error_description }`, and — per route — the calling client authenticated the
 * way the token endpoint authenticates it. No same-origin check: these are called from
 * other origins by design, with credentials of their own rather than a user's cookies.
 * Client authentication is throttled as at the token endpoint (src/security/throttle
 * client-auth.ts, the same counters): failures count per (client id, IP) and per IP, and
 * once over the limit a request is refused before any secret or assertion is checked.
 */
import Router from "@koa/router";
import type { DefaultState, Middleware, ParameterizedContext } from "koa";
import { koaBody } from "koa-body";
import type Provider from "oidc-provider";
import { TooManyRequestsError } from "../../shared/index.js";
import { ApiError, apiErrors, ApiThrottledError } from "./api-errors.js";
import { clientAuthentication, type AuthenticatedClient } from "./client-authentication.js";
import { noStore } from "./no-store.js";
import { nulMessage, refuseNulInBody } from "./nul.js";

/** Counts client authentications (src/security's ClientAuthThrottle has this shape). */
export interface ClientAuthLimiter {
  /** Counts an authentication about to be checked, or refuses it with a TooManyRequestsError. */
  attempt(clientId: string, ip: string): Promise<{ forgive(): Promise<void> }>;
}

export type ApiState = DefaultState & { clientAuthLimiter?: ClientAuthLimiter };
export type ApiRouter = Router<ApiState>;
export type ApiContext = ParameterizedContext<ApiState> & { params: Record<string, string> };

export const apiBodyLimit = "16kb";

/** A body the parser gave up on: too large (413, from raw-body) or not JSON (400, from co-body). */
function unreadableBody(error: Error): never {
  const status = (error as { status?: unknown }).status === 413 ? 413 : 400;
  throw new ApiError("invalid_request", status === 413 ? `The body is larger than ${apiBodyLimit}.` : "The body is not valid JSON or form data.", status);
}

export function apiRouter(deps: { clientAuthLimiter?: ClientAuthLimiter } = {}): ApiRouter {
  const router = new Router<ApiState>();
  router.use(
    async (ctx, next) => {
      ctx.state.clientAuthLimiter = deps.clientAuthLimiter;
      await next();
    },
    noStore(),
    apiErrors(),
    koaBody({
      json: true,
      jsonStrict: true,
      urlencoded: true,
      multipart: false,
      text: false,
      jsonLimit: apiBodyLimit,
      formLimit: apiBodyLimit,
      onError: unreadableBody,
    }) as unknown as Middleware,
    refuseNulInBody(() => new ApiError("invalid_request", nulMessage)),
  );
  return router;
}

/** The parsed body as an object of unknown values ({} when there is none). */
export function jsonBody(ctx: { request: unknown }): Record<string, unknown> {
  const body = (ctx.request as { body?: unknown }).body;
  return body && typeof body === "object" && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
}

export type ClientHandler = (ctx: ApiContext, client: AuthenticatedClient) => Promise<void>;

/**
 * The client id a request claims, before it is authenticated: the Basic user name
 * (RFC 6749 §2.3.1, form-encoded) or the body's client_id. Only a counting key: a wrong
 * claim counts against the claimed id from the caller's own IP.
 */
function claimedClientId(ctx: ApiContext): string {
  const basic = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(ctx.get("authorization"));
  if (basic) {
    const user = Buffer.from(basic[1]!, "base64").toString("utf8").split(":")[0] ?? "";
    try {
      return decodeURIComponent(user.replace(/\+/g, " "));
    } catch {
      return user;
    }
  }
  const id = jsonBody(ctx).client_id;
  return typeof id === "string" ? id : "";
}

/** Takes the request's place in the client-authentication counts, or refuses it (429, invalid_client). */
async function countAuthentication(ctx: ApiContext): Promise<{ forgive(): Promise<void> } | undefined> {
  try {
    return await ctx.state.clientAuthLimiter?.attempt(claimedClientId(ctx), ctx.ip);
  } catch (error) {
    if (!(error instanceof TooManyRequestsError)) throw error;
    throw new ApiThrottledError("invalid_client", error.message, error.retryAfterSeconds);
  }
}

/**
 * Wraps a handler that acts for an authenticated client; anyone else gets invalid_client
 * (401), and a source over its limit of failures invalid_client with 429 and Retry-After.
 */
export function forClients(provider: Provider): (handler: ClientHandler) => (ctx: ApiContext) => Promise<void> {
  const authenticate = clientAuthentication(provider);
  return (handler) => async (ctx) => {
    const attempt = await countAuthentication(ctx);
    const client = await authenticate(ctx);
    // Only failures count: a client that proved who it is gives its place back.
    await attempt?.forgive();
    await handler(ctx, client);
  };
}
