/**
 * /confirm/:key — the one address every emailed link points at. GET shows the owning
 * room's "confirm" page (a button, so mail scanners that fetch links do not use them up);
 * POST redeems; /resend sends a fresh link for an expired or superseded one. Every failure
 * gets its own page saying what happened and what to do next.
 */
import Router from "@koa/router";
import type { Context } from "koa";
import { koaBody } from "koa-body";
import { ConfirmationKeyError } from "./errors.js";
import { intents, type Intent } from "./intents.js";
import type { ConfirmationService } from "./service.js";
import type { Confirmation } from "./types.js";

export const confirmationPaths = {
  link: "/confirm/:key",
  resend: "/confirm/:key/resend",
} as const;

/** What the room that owns an intent does with its links. */
export interface ConfirmationHandler {
  intent: Intent;
  /** Renders the page that asks the user to confirm, with a form posting back to the link. */
  show(ctx: Context, confirmation: Confirmation, key: string): Promise<void>;
  /** Redeems the key (through ConfirmationService.redeem) and renders or redirects. */
  confirm(ctx: Context, key: string, confirmation: Confirmation): Promise<void>;
  /** Sends a fresh link for the same object; absent when that makes no sense. */
  resend?(ctx: Context, confirmation: Confirmation): Promise<void>;
}

const allIntents = Object.keys(intents) as Intent[];

export function confirmationRouter(service: ConfirmationService, handlers: ConfirmationHandler[]): Router {
  const byIntent = new Map(handlers.map((handler) => [handler.intent, handler]));
  const router = new Router();
  const form = koaBody({ urlencoded: true, json: false, multipart: false, text: false, formLimit: "16kb" });
  const handlerFor = (intent: Intent) => {
    const handler = byIntent.get(intent);
    if (!handler) throw new Error(`no confirmation handler for ${intent}`);
    return handler;
  };

  router.use(async (ctx, next) => {
    ctx.set("Cache-Control", "no-store");
    try {
      await next();
    } catch (error) {
      if (!(error instanceof ConfirmationKeyError)) throw error;
      ctx.state.log.info({ reason: error.reason, intent: error.intent }, "confirmation link refused");
      ctx.status = error.status;
      const resendable = (error.reason === "expired" || error.reason === "revoked") && !!error.intent && !!byIntent.get(error.intent as Intent)?.resend;
      await ctx.render("layouts/single", {
        page: "confirmation/failure",
        title: failureTitles[error.reason],
        reason: error.reason,
        resendAction: resendable ? `/confirm/${ctx.params.key}/resend` : undefined,
      });
    }
  });

  router.get(confirmationPaths.link, async (ctx) => {
    const key = ctx.params.key!;
    const confirmation = await service.peek(key, allIntents);
    await handlerFor(confirmation.intent).show(ctx, confirmation, key);
  });

  router.post(confirmationPaths.link, form, async (ctx) => {
    const key = ctx.params.key!;
    const confirmation = await service.peek(key, allIntents);
    await handlerFor(confirmation.intent).confirm(ctx, key, confirmation);
  });

  router.post(confirmationPaths.resend, form, async (ctx) => {
    const confirmation = await service.inspect(ctx.params.key!);
    const handler = confirmation && byIntent.get(confirmation.intent);
    if (!confirmation || !handler?.resend) throw new ConfirmationKeyError("unknown");
    await handler.resend(ctx, confirmation);
  });

  return router;
}

const failureTitles = {
  malformed: "This link is incomplete",
  unknown: "This link is not valid",
  expired: "This link has expired",
  used: "This link was already used",
  revoked: "A newer link replaced this one",
} as const;
