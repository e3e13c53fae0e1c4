import type { Middleware } from "koa";

/**
 * Pages and API answers carry personal data or one-time values (forms with a user's input,
 * links, tokens): no cache may keep them (RFC 9111 §5.2.2.5).
 */
export function noStore(): Middleware {
  return async (ctx, next) => {
    ctx.set("Cache-Control", "no-store");
    await next();
  };
}
