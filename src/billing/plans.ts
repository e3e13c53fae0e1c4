/**
 * The plans, declared in one place: the free plan everyone has, and Premium, paid monthly
 * or yearly through the Stripe prices the operator configures (STRIPE_PRICE_MONTHLY,
 * STRIPE_PRICE_YEARLY). A plan's id is what sites see in the `plan` claim and what a
 * client's `required_plan` names; the interval only says how it is paid.
 */
export type Interval = "month" | "year";

export interface PlanPrice {
  interval: Interval;
  /** Stripe's price id (price_…). */
  priceId: string;
}

export interface Plan {
  id: string;
  name: string;
  /** What the plan gives, as the billing page lists it. */
  features: readonly string[];
  /** How it can be paid; empty for the free plan. */
  prices: readonly PlanPrice[];
}

export const freePlanId = "free";

export const intervalWords: Record<Interval, { adjective: string; noun: string }> = {
  month: { adjective: "Monthly", noun: "month" },
  year: { adjective: "Yearly", noun: "year" },
};

export interface Plans {
  free: Plan;
  /** The plans that can be bought (with at least one price). */
  paid: readonly Plan[];
  byId(id: string): Plan | undefined;
  /** The plan and interval a Stripe price pays for. */
  byPrice(priceId: string): { plan: Plan; interval: Interval } | undefined;
}

export function declarePlans(prices: { month?: string; year?: string }): Plans {
  const free: Plan = { id: freePlanId, name: "Free", features: ["Sign in to every site", "Your profile, addresses and sessions"], prices: [] };
  const premiumPrices: PlanPrice[] = [];
  if (prices.month) premiumPrices.push({ interval: "month", priceId: prices.month });
  if (prices.year) premiumPrices.push({ interval: "year", priceId: prices.year });
  const premium: Plan = {
    id: "premium",
    name: "Premium",
    features: ["Everything in Free", "Sites that require Premium", "Priority support"],
    prices: premiumPrices,
  };
  const paid = premiumPrices.length ? [premium] : [];
  const all = [free, ...paid];
  return {
    free,
    paid,
    byId: (id) => all.find((plan) => plan.id === id),
    byPrice(priceId) {
      for (const plan of paid) {
        const price = plan.prices.find((candidate) => candidate.priceId === priceId);
        if (price) return { plan, interval: price.interval };
      }
      return undefined;
    },
  };
}
