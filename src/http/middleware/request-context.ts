/**
 * Gives every request an id (the caller's X-Request-Id when it looks sane, else a new
 * one), echoes it in the response, and logs one line when the response is finished —
 * including the provider's responses, which bypass Koa's own response handling.
 * A passing health probe is logged at debug: load balancers and orchestrators ask every few
 * seconds, and at info their lines would drown the requests people make. A failing probe
 * stays at info (the health route also logs why it failed).
 * The path is logged through logSafePath, so a confirmation or reset link's key is not.
 * Everything the request runs — the provider included — sees its IP address and user agent
 * through the shared request context, which the domain event log reads for the audit trail.
 * `ctx.ip` follows X-Forwarded-For only when TRUST_PROXY is set (Koa's `proxy`).
 */
import { randomUUID } from "node:crypto";
import type { Middleware } from "koa";
import { healthPaths } from "../health.js";
import { logSafePath, runWithRequestContext, type Logger } from "../../shared/index.js";

declare module "koa" {
  interface DefaultState {
    requestId: string;
    log: Logger;
  }
}

const acceptableId = /^[\w.:-]{1,128}$/;

function isPassingProbe(path: string, status: number): boolean {
  return path === healthPaths.health && status < 400;
}

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
      const fields = { method: ctx.method, path: logSafePath(ctx.path), status: ctx.res.statusCode, ms: Math.round(ms * 10) / 10 };
      if (isPassingProbe(ctx.path, ctx.res.statusCode)) ctx.state.log.debug(fields, "request");
      else ctx.state.log.info(fields, "request");
    });
    await runWithRequestContext({ ip: ctx.ip || undefined, userAgent: ctx.get("user-agent") }, next);
  };
}
