/**
 * The JSON API edge, for programs (a client's backend, a script-driven front end): JSON or
 * urlencoded bodies with a limit, no-store, every failure as OAuth's
 * `{ error, error_description }`, and — per route — the calling client authenticated the
 * way the token endpoint authenticates it. No same-origin check: these are called from
 * other origins by design, with credentials of their own rather than a user's cookies.
 */
import Router from "@koa/router";
import type { DefaultState, Middleware, ParameterizedContext } from "koa";
import { koaBody } from "koa-body";
import type Provider from "oidc-provider";
import { ApiError, apiErrors } from "./api-errors.js";
import { clientAuthentication, type AuthenticatedClient } from "./client-authentication.js";
import { noStore } from "./no-store.js";
import { nulMessage, refuseNulInBody } from "./nul.js";

export type ApiState = DefaultState;
export type ApiRouter = Router<ApiState>;
export type ApiContext = ParameterizedContext<ApiState> & { params: Record<string, string> };

export const apiBodyLimit = "16kb";

/** A body the parser gave up on: too large (413, from raw-body) or not JSON (400, from co-body). */
function unreadableBody(error: Error): never {
  const status = (error as { status?: unknown }).status === 413 ? 413 : 400;
  throw new ApiError("invalid_request", status === 413 ? `The body is larger than ${apiBodyLimit}.` : "The body is not valid JSON or form data.", status);
}

export function apiRouter(): ApiRouter {
  const router = new Router<ApiState>();
  router.use(
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

/** Wraps a handler that acts for an authenticated client; anyone else gets invalid_client (401). */
export function forClients(provider: Provider): (handler: ClientHandler) => (ctx: ApiContext) => Promise<void> {
  const authenticate = clientAuthentication(provider);
  return (handler) => async (ctx) => handler(ctx, await authenticate(ctx));
}
