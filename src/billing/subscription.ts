/**
 * What a Stripe subscription means for an account's plan, read the way the pinned API
 * version (stripe.ts) shapes it: the price on its first item names the plan, and the paid
 * period ends at the latest `current_period_end` of its items (moved there from the
 * subscription in API 2025-03-31). A subscription Stripe has ended counts until `ended_at`.
 */
import type Stripe from "stripe";
import type { Interval, Plans } from "./plans.js";

export interface SubscriptionState {
  subscriptionId: string;
  customerId: string;
  planId: string;
  interval: Interval;
  status: Stripe.Subscription.Status;
  periodEnd: Date;
  cancelAtPeriodEnd: boolean;
  paymentMethodId: string | null;
}

/** Statuses under which the plan is paid for (past_due: Stripe is still retrying the payment). */
const paying: readonly Stripe.Subscription.Status[] = ["active", "trialing", "past_due"];

export function isPaying(status: string | null | undefined): boolean {
  return paying.some((candidate) => candidate === status);
}

const idOf = (value: string | { id: string } | null): string | null => (value === null ? null : typeof value === "string" ? value : value.id);

/** The plan a subscription pays for, or undefined for a price that is not one of ours. */
export function readSubscription(subscription: Stripe.Subscription, plans: Plans): SubscriptionState | undefined {
  const items = subscription.items.data;
  const price = items[0]?.price.id;
  const paid = price ? plans.byPrice(price) : undefined;
  if (!paid || !items.length) return undefined;
  const periodEnd = Math.max(...items.map((item) => item.current_period_end));
  const ended = subscription.status === "canceled" && subscription.ended_at !== null;
  return {
    subscriptionId: subscription.id,
    customerId: idOf(subscription.customer) ?? "",
    planId: paid.plan.id,
    interval: paid.interval,
    status: subscription.status,
    periodEnd: new Date((ended ? Math.min(periodEnd, subscription.ended_at ?? periodEnd) : periodEnd) * 1000),
    // A subscription Stripe has cancelled renews no more, whatever the flag says.
    cancelAtPeriodEnd: subscription.cancel_at_period_end || subscription.status === "canceled",
    paymentMethodId: idOf(subscription.default_payment_method),
  };
}
