/**
 * Tessera's routers refuse a body holding a NUL character (see http/middleware/nul-bytes.ts
 * for why and for the URL and the provider's bodies): a page gets an error page, an API the
 * OAuth error shape, both 400.
 */
import type { Middleware } from "koa";
import type { AppError } from "../../shared/index.js";

export const nulMessage = "The request contains a NUL character, which nothing in Tessera accepts. Remove it and try again.";

/** Whether a parsed value (string, array, object) holds a NUL anywhere, keys included. */
export function containsNul(value: unknown): boolean {
  if (typeof value === "string") return value.includes("\0");
  if (Array.isArray(value)) return value.some(containsNul);
  if (value && typeof value === "object") return Object.entries(value).some(([key, item]) => key.includes("\0") || containsNul(item));
  return false;
}

/** After the body parser: refuses the request with `refusal` when its body holds a NUL. */
export function refuseNulInBody(refusal: () => AppError): Middleware {
  return async (ctx, next) => {
    if (containsNul((ctx.request as { body?: unknown }).body)) throw refusal();
    await next();
  };
}
