/**
 * Plans and their life cycle through Stripe (SimpleLogin's): free → subscribe through
 * Stripe Checkout → paid, renewing → cancel (cancel_at_period_end: the plan stays until its
 * end date) → renew before then (the cancellation is undone) → past the end, the expiry
 * job (expiry.ts) makes it free again, clears the Stripe references and deletes the Stripe
 * customer, after which subscribing is the normal flow.
 * Rules:
 * - a plan becomes paid only on Stripe's word: a subscription retrieved from Stripe (after
 *   a verified webhook, the return from Checkout, or our own update call), never on a
 *   browser's say-so;
 * - calls that create something at Stripe carry an idempotency key derived from what makes
 *   the request unique (account, plan life, attempt, price), so a retry after a lost
 *   response gets Stripe's saved answer instead of a second customer or session;
 * - a change of the plan or of its end date is a change of the `plan` claims: it is recorded
 *   as `account.plan-changed` in the same transaction, for the account-update push.
 */
import type { EventRecorder } from "../jobs/index.js";
import type { Prisma } from "../db/index.js";
import type { Clock, Logger } from "../shared/index.js";
import { billingPaths } from "./http/paths.js";
import { billingDisabled, BillingError, stripeUnavailable } from "./errors.js";
import { freePlanId, type Interval, type Plan, type Plans } from "./plans.js";
import type { BillingRepository, PlanRow } from "./repository.js";
import { isUnavailable, type Stripe } from "./stripe.js";
import { isPaying, readSubscription, type SubscriptionState } from "./subscription.js";
import { createPriceLabels } from "./price-labels.js";

export interface PlanView {
  /** The plan in force now: a paid plan past its end is already free here. */
  plan: Plan;
  interval?: Interval;
  /** The renewal date, or the end date when `renews` is false. */
  periodEnd?: Date;
  renews: boolean;
  paymentFailed: boolean;
}

/** What an account's plan claims say (src/billing/claims.ts). */
export interface PlanClaims {
  plan: string;
  /** Seconds since the epoch: when the paid period ends (renewal or end). */
  plan_expires_at?: number;
}

export type ApplyOutcome = "applied" | "unknown-customer" | "ignored";

export interface BillingDeps {
  repo: BillingRepository;
  plans: Plans;
  /** Undefined when billing is not enabled. */
  stripe?: Stripe;
  events: EventRecorder;
  clock: Clock;
  issuer: string;
  log: Logger;
}

export function createBillingService(deps: BillingDeps) {
  const { repo, plans, clock } = deps;
  const priceLabels = createPriceLabels({ stripe: deps.stripe, clock, log: deps.log });
  const stripeOrRefuse = (): Stripe => deps.stripe ?? (() => { throw billingDisabled(); })();

  /** Runs a Stripe call; a network or Stripe-side failure becomes "try again". */
  async function call<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (!isUnavailable(error)) throw error;
      deps.log.warn({ err: { type: (error as Error).name, message: (error as Error).message } }, "stripe call failed");
      throw stripeUnavailable();
    }
  }

  function inForce(row: PlanRow | undefined, now: Date): PlanView {
    const plan = row && row.planId !== freePlanId && row.periodEnd && row.periodEnd > now ? plans.byId(row.planId) : undefined;
    if (!row || !plan || !row.periodEnd) return { plan: plans.free, renews: false, paymentFailed: false };
    return {
      plan,
      interval: row.interval === "year" ? "year" : "month",
      periodEnd: row.periodEnd,
      renews: !row.cancelAtPeriodEnd,
      paymentFailed: row.paymentFailedAt !== null,
    };
  }

  const claimsOf = (view: PlanView): PlanClaims =>
    view.plan.id === freePlanId || !view.periodEnd ? { plan: freePlanId } : { plan: view.plan.id, plan_expires_at: Math.floor(view.periodEnd.getTime() / 1000) };

  const sameClaims = (a: PlanClaims, b: PlanClaims) => a.plan === b.plan && a.plan_expires_at === b.plan_expires_at;

  /**
   * Writes what Stripe says of a subscription to the account whose customer it is, in the
   * caller's transaction. A subscription that is not the account's current one, or that
   * pays for nothing (incomplete, cancelled before we knew it), changes nothing: an old
   * event arriving late cannot bring back a plan.
   */
  async function applySubscription(tx: Prisma.TransactionClient, state: SubscriptionState): Promise<{ outcome: ApplyOutcome; accountId?: string }> {
    const row = await repo.findByCustomer(state.customerId, tx);
    if (!row) return { outcome: "unknown-customer" };
    const current = row.stripeSubscriptionId === state.subscriptionId;
    if (!current && !isPaying(state.status)) return { outcome: "ignored", accountId: row.accountId };
    const now = clock.now();
    const before = claimsOf(inForce(row, now));
    await repo.setPaid(tx, row.accountId, {
      planId: state.planId,
      interval: state.interval,
      stripeSubscriptionId: state.subscriptionId,
      status: state.status,
      periodEnd: state.periodEnd,
      cancelAtPeriodEnd: state.cancelAtPeriodEnd,
      stripePaymentMethodId: state.paymentMethodId,
    });
    const after = claimsOf(inForce({ ...row, planId: state.planId, interval: state.interval, periodEnd: state.periodEnd, cancelAtPeriodEnd: state.cancelAtPeriodEnd }, now));
    if (!sameClaims(before, after)) await deps.events.record(tx, { type: "account.plan-changed", accountId: row.accountId, plan: after.plan, expiresAt: after.plan_expires_at === undefined ? null : state.periodEnd.toISOString() });
    return { outcome: "applied", accountId: row.accountId };
  }

  /** Retrieves the subscription from Stripe: the current state, whatever order events came in. */
  async function retrieve(subscriptionId: string): Promise<SubscriptionState | undefined> {
    const subscription = await call(() => stripeOrRefuse().subscriptions.retrieve(subscriptionId));
    const state = readSubscription(subscription, plans);
    if (!state) deps.log.warn({ subscriptionId }, "stripe subscription for a price that is no plan of ours ignored");
    return state;
  }

  async function applyRetrieved(subscriptionId: string): Promise<void> {
    const state = await retrieve(subscriptionId);
    if (state) await repo.prisma.$transaction((tx) => applySubscription(tx, state));
  }

  async function paidRow(accountId: string): Promise<PlanRow & { stripeSubscriptionId: string }> {
    const row = await repo.find(accountId);
    if (!row?.stripeSubscriptionId || inForce(row, clock.now()).plan.id === freePlanId) {
      throw new BillingError("no_subscription", "You are on the free plan: there is no subscription to change.");
    }
    return { ...row, stripeSubscriptionId: row.stripeSubscriptionId };
  }

  return {
    enabled: deps.stripe !== undefined,
    plans,
    /** What each paid plan's prices cost, as Stripe has them ("€3.00 a month"), by price id. */
    priceLabels: () => priceLabels.of(plans.paid.flatMap((plan) => plan.prices)),

    async view(accountId: string): Promise<PlanView> {
      return inForce(await repo.find(accountId), clock.now());
    },

    async claims(accountId: string): Promise<PlanClaims> {
      return claimsOf(inForce(await repo.find(accountId), clock.now()));
    },

    /** Opens a Checkout session for the plan and interval; answers the page to send the browser to. */
    async subscribe(accountId: string, planId: string, interval: string): Promise<string> {
      const stripe = stripeOrRefuse();
      const price = plans.byId(planId)?.prices.find((candidate) => candidate.interval === interval);
      if (!price) throw new BillingError("unknown_plan", "That plan cannot be bought here.", 404);
      if (inForce(await repo.find(accountId), clock.now()).plan.id !== freePlanId) {
        throw new BillingError("already_paid", "You already have a paid plan. Cancel it and let it end before choosing another.");
      }
      let row = await repo.ensure(accountId);
      let customerId = row.stripeCustomerId;
      if (!customerId) {
        const who = await repo.customerDetails(accountId);
        // One customer per account and plan life: a retry after a lost answer gets the same one.
        const customer = await call(() =>
          stripe.customers.create(
            { email: who?.email, name: who?.name, metadata: { tessera_account: accountId } },
            { idempotencyKey: `tessera-customer-${accountId}-${row.cycle}` },
          ),
        );
        customerId = await repo.setCustomer(accountId, customer.id);
        row = { ...row, stripeCustomerId: customerId };
      }
      if (row.checkoutSessionId) {
        const last = await call(() => stripe.checkout.sessions.retrieve(row.checkoutSessionId ?? ""));
        if (last.status === "open" && last.url && last.metadata?.price === price.priceId) return last.url;
        // Paid but not yet confirmed to us: take Stripe's word now rather than open a second subscription.
        const paidFor = typeof last.subscription === "string" ? last.subscription : last.subscription?.id;
        if (last.status === "complete" && paidFor) {
          await applyRetrieved(paidFor);
          throw new BillingError("already_paid", "Your last payment went through: your plan is active.");
        }
      }
      const session = await call(() =>
        stripe.checkout.sessions.create(
          {
            mode: "subscription",
            customer: customerId,
            client_reference_id: accountId,
            line_items: [{ price: price.priceId, quantity: 1 }],
            success_url: `${deps.issuer}${billingPaths.return}?session_id={CHECKOUT_SESSION_ID}`,
            cancel_url: `${deps.issuer}${billingPaths.home}`,
            metadata: { tessera_account: accountId, price: price.priceId },
            subscription_data: { metadata: { tessera_account: accountId } },
          },
          // The attempt number moves on only once a session is stored, so a retry of a lost
          // answer repeats the key, and a later subscribe gets a fresh session.
          { idempotencyKey: `tessera-checkout-${accountId}-${row.cycle}-${row.checkouts}-${price.priceId}` },
        ),
      );
      await repo.setCheckout(accountId, session.id);
      if (!session.url) throw new BillingError("checkout_unavailable", "Stripe did not open a payment page. Try again.", 502);
      return session.url;
    },

    /**
     * The browser is back from Checkout with a session id: ask Stripe about that session (it
     * must be this account's), and take the plan from the subscription Stripe reports.
     */
    async finishCheckout(accountId: string, sessionId: string): Promise<"active" | "pending"> {
      const stripe = stripeOrRefuse();
      const row = await repo.find(accountId);
      if (!row?.stripeCustomerId || !/^cs_[\w]+$/.test(sessionId)) return "pending";
      const session = await call(() => stripe.checkout.sessions.retrieve(sessionId)).catch((error: unknown) => {
        if (error instanceof BillingError) throw error;
        return undefined;
      });
      const customer = typeof session?.customer === "string" ? session.customer : session?.customer?.id;
      if (!session || session.client_reference_id !== accountId || customer !== row.stripeCustomerId) return "pending";
      const subscriptionId = typeof session.subscription === "string" ? session.subscription : session.subscription?.id;
      if (session.status !== "complete" || !subscriptionId) return "pending";
      await applyRetrieved(subscriptionId);
      return (await this.view(accountId)).plan.id === freePlanId ? "pending" : "active";
    },

    /** Cancel at the end of the period: the plan stays until then. */
    async cancel(accountId: string): Promise<PlanView> {
      const row = await paidRow(accountId);
      const updated = await call(() => stripeOrRefuse().subscriptions.update(row.stripeSubscriptionId, { cancel_at_period_end: true }));
      const state = readSubscription(updated, plans);
      if (state) await repo.prisma.$transaction((tx) => applySubscription(tx, state));
      return this.view(accountId);
    },

    /** Undo a cancellation before the period ends. */
    async renew(accountId: string): Promise<PlanView> {
      const row = await paidRow(accountId);
      if (row.status === "canceled") throw new BillingError("ended", "Stripe has ended this subscription; it cannot be renewed. Subscribe again once it has run out.");
      const updated = await call(() => stripeOrRefuse().subscriptions.update(row.stripeSubscriptionId, { cancel_at_period_end: false }));
      const state = readSubscription(updated, plans);
      if (state) await repo.prisma.$transaction((tx) => applySubscription(tx, state));
      return this.view(accountId);
    },

    applySubscription,
    retrieve,
    applyRetrieved,
  };
}

export type BillingService = ReturnType<typeof createBillingService>;
