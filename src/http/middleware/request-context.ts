/**
 * Gives every request an id (the caller's X-Request-Id when it looks sane, else a new
 * one), echoes it in the response, and logs one line when the response is finished —
 * including the provider's responses, which bypass Koa's own response handling.
 */
import { randomUUID } from "node:crypto";
import type { Middleware } from "koa";
import type { Logger } from "../../shared/index.js";

declare module "koa" {
  interface DefaultState {
    requestId: string;
    log: Logger;
  }
}

const acceptableId = /^[\w.:-]{1,128}$/;

export function requestContext(log: Logger): Middleware {
  return async (ctx, next) => {
    const incoming = ctx.get("x-request-id");
    const requestId = acceptableId.test(incoming) ? incoming : randomUUID();
    ctx.state.requestId = requestId;
    ctx.state.log = log.child({ requestId });
    ctx.set("X-Request-Id", requestId);
    // The provider answers through its own Koa app; it reads the id from this header.
    ctx.req.headers["x-request-id"] = requestId;
    const started = process.hrtime.bigint();
    ctx.res.once("finish", () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      ctx.state.log.info({ method: ctx.method, path: ctx.path, status: ctx.res.statusCode, ms: Math.round(ms * 10) / 10 }, "request");
    });
    await next();
  };
}
