/**
 * /confirm/:key — the one address every emailed link points at. GET shows the owning
 * room's "confirm" page (a button, so mail scanners that fetch links do not use them up);
 * POST redeems; /resend sends a fresh link for an expired or superseded one. Every failure
 * gets its own page saying what happened and what to do next.
 */
import { formSubmission, pathTo, renderPage, type Edge, type PageContext, type RefusedForm, type SubmittedForm } from "../http/edge/index.js";
import { ConfirmationKeyError } from "./errors.js";
import { intents, type Intent } from "./intents.js";
import { confirmationPaths } from "./paths.js";
import type { ConfirmationService } from "./service.js";
import type { Confirmation } from "./types.js";

/** What the room that owns an intent does with its links. */
export interface ConfirmationHandler {
  intent: Intent;
  /**
   * Renders the page that asks the user to confirm, with a form posting back to the link;
   * after a refused post, with the refused input and its messages.
   */
  show(ctx: PageContext, confirmation: Confirmation, key: string, refused?: RefusedForm): Promise<void>;
  /** Redeems the key (through ConfirmationService.redeem) and renders or redirects; a FormError shows the page again. */
  confirm(ctx: PageContext, key: string, confirmation: Confirmation, form: SubmittedForm): Promise<void>;
  /** Sends a fresh link for the same object; absent when that makes no sense. */
  resend?(ctx: PageContext, confirmation: Confirmation): Promise<void>;
}

const allIntents = Object.keys(intents) as Intent[];

export function mountConfirmationRoutes(edge: Edge, service: ConfirmationService, handlers: ConfirmationHandler[]): void {
  const byIntent = new Map(handlers.map((handler) => [handler.intent, handler]));
  const router = edge.pages("confirmation", confirmationPaths);
  const handlerFor = (intent: Intent) => {
    const handler = byIntent.get(intent);
    if (!handler) throw new Error(`no confirmation handler for ${intent}`);
    return handler;
  };

  router.use(async (ctx, next) => {
    try {
      await next();
    } catch (error) {
      if (!(error instanceof ConfirmationKeyError)) throw error;
      ctx.state.log.info({ reason: error.reason, intent: error.intent }, "confirmation link refused");
      ctx.status = error.status;
      const resendable = (error.reason === "expired" || error.reason === "revoked") && !!error.intent && !!byIntent.get(error.intent as Intent)?.resend;
      await renderPage(ctx, "confirmation/failure", {
        title: failureTitles[error.reason],
        reason: error.reason,
        resendAction: resendable ? pathTo(confirmationPaths.resend, { key: ctx.params.key! }) : undefined,
      });
    }
  });

  router.get(confirmationPaths.link, async (ctx) => {
    const key = ctx.params.key!;
    const confirmation = await service.peek(key, allIntents);
    await handlerFor(confirmation.intent).show(ctx, confirmation, key);
  });

  router.post(
    confirmationPaths.link,
    formSubmission<PageContext>({
      async submit(ctx, form) {
        const key = ctx.params.key!;
        const confirmation = await service.peek(key, allIntents);
        await handlerFor(confirmation.intent).confirm(ctx, key, confirmation, form);
      },
      async showAgain(ctx, refused) {
        const key = ctx.params.key!;
        const confirmation = await service.peek(key, allIntents);
        await handlerFor(confirmation.intent).show(ctx, confirmation, key, refused);
      },
    }),
  );

  router.post(confirmationPaths.resend, async (ctx) => {
    const confirmation = await service.inspect(ctx.params.key!);
    const handler = confirmation && byIntent.get(confirmation.intent);
    if (!confirmation || !handler?.resend) throw new ConfirmationKeyError("unknown");
    await handler.resend(ctx, confirmation);
  });
}

const failureTitles = {
  malformed: "This link is incomplete",
  unknown: "This link is not valid",
  expired: "This link has expired",
  used: "This link was already used",
  revoked: "A newer link replaced this one",
} as const;
