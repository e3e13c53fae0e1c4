/**
 * POST /webhooks/stripe — Stripe's events, on the webhook edge (the raw body kept, since the
 * signature covers the exact bytes). Rules:
 * - the Stripe-Signature header is checked with the endpoint's secret and a five-minute
 *   timestamp tolerance, against our clock (stripe.webhooks.constructEvent); anything that
 *   fails gets 400 and a log line naming the reason, never the secret or the header;
 * - an event is handled once: its id goes into stripe_event in the same transaction as its
 *   effect, so a replay or a redelivery changes nothing (and a failed handling leaves no id,
 *   so Stripe's retry is handled in full);
 * - order does not matter: every event is only a reason to retrieve the subscription from
 *   Stripe and apply its current state (service.applySubscription ignores stale ones);
 * - an event for a customer we do not know (deleted at expiry, another system's) is
 *   acknowledged with 200 and logged, so Stripe stops sending it.
 */
import type Stripe from "stripe";
import { ApiError, type Edge, type WebhookContext } from "../http/edge/index.js";
import type { Clock } from "../shared/index.js";
import type { BillingRepository } from "./repository.js";
import type { BillingService } from "./service.js";
import { isMissing } from "./stripe.js";
import type { SubscriptionState } from "./subscription.js";

export const stripeWebhookPath = "/webhooks/stripe";

/** Stripe's default: a signature older than this is refused as a possible replay. */
const toleranceSeconds = 300;

const handled = new Set(["checkout.session.completed", "customer.subscription.created", "customer.subscription.updated", "customer.subscription.deleted", "invoice.paid", "invoice.payment_failed"]);

const idOf = (value: string | { id: string } | null | undefined): string | undefined => (value == null ? undefined : typeof value === "string" ? value : value.id);

/** The subscription an event is about, where it says. */
function subscriptionOf(event: Stripe.Event): string | undefined {
  const object = event.data.object as unknown as Record<string, unknown>;
  switch (event.type) {
    case "checkout.session.completed":
      return idOf(event.data.object.subscription);
    case "customer.subscription.created":
    case "customer.subscription.updated":
    case "customer.subscription.deleted":
      return event.data.object.id;
    case "invoice.paid":
    case "invoice.payment_failed":
      // Since API 2025-03-31 an invoice names its subscription under parent.subscription_details.
      return idOf(event.data.object.parent?.subscription_details?.subscription);
    default:
      return typeof object.subscription === "string" ? object.subscription : undefined;
  }
}

export function mountStripeWebhook(
  edge: Edge,
  deps: { stripe: Stripe; webhookSecret: string; billing: BillingService; repo: BillingRepository; clock: Clock },
): void {
  const router = edge.webhooks();

  function verify(ctx: WebhookContext): Stripe.Event {
    const signature = ctx.get("stripe-signature");
    try {
      return deps.stripe.webhooks.constructEvent(ctx.state.rawBody, signature, deps.webhookSecret, toleranceSeconds, undefined, deps.clock.now().getTime());
    } catch (error) {
      ctx.state.log.warn({ signed: signature !== "", reason: error instanceof Error ? error.message.split("\n")[0]?.slice(0, 160) : "unknown" }, "stripe webhook refused: signature not verified");
      throw new ApiError("invalid_request", "The Stripe signature could not be verified.", 400);
    }
  }

  router.post(stripeWebhookPath, async (ctx) => {
    const event = verify(ctx);
    const log = ctx.state.log.child({ stripeEvent: event.id, type: event.type });
    ctx.status = 200;
    ctx.body = { received: true };
    if (!handled.has(event.type) || (await deps.repo.eventSeen(event.id))) {
      log.info("stripe event skipped: not handled or already handled");
      await deps.repo.prisma.$transaction((tx) => deps.repo.markEventSeen(tx, event.id, event.type, deps.clock.now()));
      return;
    }
    const subscriptionId = subscriptionOf(event);
    // Stripe's current word on the subscription, fetched before the transaction (a network call).
    const state: SubscriptionState | undefined = subscriptionId
      ? await deps.billing.retrieve(subscriptionId).catch((error: unknown) => {
          if (isMissing(error)) return undefined;
          throw error;
        })
      : undefined;
    const outcome = await deps.repo.prisma.$transaction(async (tx) => {
      if (!(await deps.repo.markEventSeen(tx, event.id, event.type, deps.clock.now()))) return "replayed";
      const applied = state ? await deps.billing.applySubscription(tx, state) : { outcome: "ignored" as const };
      if (applied.accountId && (event.type === "invoice.payment_failed" || event.type === "invoice.paid")) {
        await deps.repo.setPaymentFailed(tx, applied.accountId, event.type === "invoice.payment_failed" ? deps.clock.now() : null);
      }
      return applied.outcome;
    });
    if (outcome === "unknown-customer") log.warn({ subscriptionId }, "stripe event for a customer we do not know; acknowledged");
    else log.info({ outcome }, "stripe event handled");
  });
}
