/**
 * JSON APIs answer every failure in OAuth's error shape, `{ error, error_description }`
 * (RFC 6749 §5.2), with the status that goes with it, so a client's backend handles
 * Tessera's APIs as it handles the token endpoint. A throttled request is 429 with
 * `Retry-After` (RFC 6585 §4): `invalid_client` when it was a client authentication (as the
 * token endpoint answers), `too_many_requests` otherwise. Our own faults say only that they
 * happened; the detail goes to the log.
 */
import type { Middleware } from "koa";
import { errors } from "oidc-provider";
import { AppError, TooManyRequestsError } from "../../shared/index.js";

/** A refusal with an OAuth error code (`invalid_request`, `invalid_target`, `access_denied`, …). */
export class ApiError extends AppError {
  constructor(
    readonly error: string,
    description: string,
    status = 400,
  ) {
    super(`api.${error}`, description, status);
    this.name = "ApiError";
  }
}

/** A throttled request: 429 with Retry-After, under the OAuth error code that fits the endpoint. */
export class ApiThrottledError extends ApiError {
  constructor(
    error: string,
    description: string,
    readonly retryAfterSeconds: number,
  ) {
    super(error, description, 429);
    this.name = "ApiThrottledError";
  }
}

interface ErrorBody {
  status: number;
  error: string;
  error_description: string;
}

function describe(error: unknown): ErrorBody {
  if (error instanceof TooManyRequestsError) return { status: 429, error: "too_many_requests", error_description: error.message };
  if (error instanceof errors.OIDCProviderError) return { status: error.status, error: error.error, error_description: error.error_description ?? error.error };
  if (error instanceof ApiError) return { status: error.status, error: error.error, error_description: error.message };
  if (error instanceof AppError && error.expose) return { status: error.status, error: "invalid_request", error_description: error.message };
  return { status: 500, error: "server_error", error_description: "Tessera could not finish this request. Try again later." };
}

export function apiErrors(): Middleware {
  return async (ctx, next) => {
    try {
      await next();
    } catch (error) {
      const body = describe(error);
      if (error instanceof TooManyRequestsError || error instanceof ApiThrottledError) ctx.set("Retry-After", String(error.retryAfterSeconds));
      if (body.status >= 500) ctx.state.log.error({ err: error }, "api request failed");
      // error_detail is the provider's reason for a refused client; it stays in the log.
      else ctx.state.log.info({ error: body.error, detail: (error as { error_detail?: unknown }).error_detail }, "api request refused");
      ctx.status = body.status;
      ctx.body = { error: body.error, error_description: body.error_description };
    }
  };
}
