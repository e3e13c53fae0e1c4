/**
 * The webhooks edge, for services that call Tessera (Stripe): the body is kept as the exact
 * bytes received, because signatures are computed over them (re-serialising parsed JSON
 * breaks them), up to a limit. Failures answer in the JSON APIs' error shape; senders only
 * read the status, and retry on anything but 2xx.
 */
import Router from "@koa/router";
import type { DefaultState, Middleware, ParameterizedContext } from "koa";
import { apiErrors } from "./api-errors.js";
import { ApiError } from "./api-errors.js";
import { noStore } from "./no-store.js";

export interface WebhookState extends DefaultState {
  /** The request body, byte for byte. */
  rawBody: Buffer;
}

export type WebhookRouter = Router<WebhookState>;
export type WebhookContext = ParameterizedContext<WebhookState> & { params: Record<string, string> };

/** Stripe's events are a few kilobytes; a megabyte leaves room without inviting abuse. */
export const webhookBodyLimit = 1024 * 1024;

function tooLarge(): ApiError {
  return new ApiError("invalid_request", `The body is larger than ${webhookBodyLimit} bytes.`, 413);
}

function readRawBody(limit: number): Middleware<WebhookState> {
  return async (ctx, next) => {
    const declared = Number(ctx.get("content-length") || 0);
    if (declared > limit) throw tooLarge();
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of ctx.req) {
      size += (chunk as Buffer).length;
      if (size > limit) throw tooLarge();
      chunks.push(chunk as Buffer);
    }
    ctx.state.rawBody = Buffer.concat(chunks);
    await next();
  };
}

export function webhookRouter(): WebhookRouter {
  const router = new Router<WebhookState>();
  router.use(noStore(), apiErrors(), readRawBody(webhookBodyLimit) as Middleware);
  return router;
}
