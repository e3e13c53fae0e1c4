/**
 * What a plan costs, as the billing page shows it ("€3.00 a month"), read from Stripe's own
 * price objects rather than declared beside the plans. The operator sets the amount in
 * Stripe's dashboard and Checkout charges exactly that; a second copy in Tessera's settings
 * would be one more thing to keep in step, and the day it drifted the page would promise one
 * amount while the card paid another. Rules:
 * - a price's amount, currency and interval cannot change at Stripe (a new amount is a new
 *   price, hence a new STRIPE_PRICE_* setting and a restart), so a label read once is kept
 *   for the life of the process;
 * - the page must not wait on Stripe: one quick attempt (3 s, no retry); when Stripe does not
 *   answer, the page shows the plans without amounts (Checkout still shows the amount before
 *   anyone pays) and asks again after a minute;
 * - a price whose interval is not the one it is configured for is logged: it is what Stripe
 *   would charge, so that is what the page says;
 * - amounts are in the currency's smallest unit (Stripe's unit_amount); the number of
 *   decimals is the currency's own (ISO 4217, as Intl knows it).
 */
import type { Clock, Logger } from "../shared/index.js";
import type { PlanPrice } from "./plans.js";
import type { Stripe } from "./stripe.js";

const retryAfterFailureMs = 60_000;

function amountText(unitAmount: number, currency: string): string {
  const format = new Intl.NumberFormat("en-GB", { style: "currency", currency: currency.toUpperCase() });
  const decimals = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(unitAmount / 10 ** decimals);
}

function periodText(interval: string, count: number): string {
  return count === 1 ? `a ${interval}` : `every ${count} ${interval}s`;
}

/** "€3.00 a month", or undefined for a price without one fixed amount (tiered, metered, pay what you want). */
export function priceLabel(price: Pick<Stripe.Price, "unit_amount" | "currency" | "recurring">): string | undefined {
  if (price.unit_amount === null || !price.recurring) return undefined;
  return `${amountText(price.unit_amount, price.currency)} ${periodText(price.recurring.interval, price.recurring.interval_count)}`;
}

export function createPriceLabels(deps: { stripe?: Stripe; clock: Clock; log: Logger }) {
  const labels = new Map<string, string | undefined>();
  const failedAt = new Map<string, number>();

  async function read(price: PlanPrice): Promise<string | undefined> {
    if (!deps.stripe) return undefined;
    const stripePrice = await deps.stripe.prices.retrieve(price.priceId, {}, { timeout: 3000, maxNetworkRetries: 0 });
    const interval: string | undefined = stripePrice.recurring?.interval;
    if (interval !== price.interval) deps.log.warn({ priceId: price.priceId, configured: price.interval, atStripe: interval ?? "one-time" }, "stripe price's interval is not the one configured");
    return priceLabel(stripePrice);
  }

  return {
    /** The label of each price id that has one; a price Stripe did not answer for is left out. */
    async of(prices: readonly PlanPrice[]): Promise<Map<string, string>> {
      const now = deps.clock.now().getTime();
      await Promise.all(
        prices.map(async (price) => {
          if (labels.has(price.priceId) || now - (failedAt.get(price.priceId) ?? -Infinity) < retryAfterFailureMs) return;
          try {
            labels.set(price.priceId, await read(price));
          } catch (error) {
            failedAt.set(price.priceId, now);
            deps.log.warn({ priceId: price.priceId, err: { type: (error as Error).name, message: (error as Error).message } }, "stripe price not read: the billing page shows no amount");
          }
        }),
      );
      const known = new Map<string, string>();
      for (const price of prices) {
        const label = labels.get(price.priceId);
        if (label) known.set(price.priceId, label);
      }
      return known;
    },
  };
}

export type PriceLabels = ReturnType<typeof createPriceLabels>;
