/**
 * /account/billing — the signed-in user's plan ("default" layout, next to /account): the
 * plan in force, its renewal or end date, and only the actions that make sense now:
 * subscribe (monthly or yearly, through Stripe Checkout) on the free plan, cancel on a
 * renewing plan, renew on a cancelled one that has not ended. Without Stripe settings the
 * page says billing is not enabled. Every action is a form POST on the browser-pages edge.
 */
import { signedInOnly, type SignedIn, type SignedInSession } from "../../accounts/index.js";
import { renderPage, type Edge, type PageContext, submittedForm } from "../../http/edge/index.js";
import { BillingError } from "../errors.js";
import { intervalWords, type Plan } from "../plans.js";
import type { BillingService, PlanView } from "../service.js";
import { billingPaths } from "./paths.js";

type BillingContext = PageContext<SignedIn>;

/** Tessera does not know the reader's time zone: dates are days in UTC, as on /account. */
const day = new Intl.DateTimeFormat("en-GB", { dateStyle: "long", timeZone: "UTC" });

function planModel(view: PlanView) {
  return {
    id: view.plan.id,
    name: view.plan.name,
    paid: view.periodEnd !== undefined,
    interval: view.interval && intervalWords[view.interval].adjective,
    periodEnd: view.periodEnd && { iso: view.periodEnd.toISOString(), text: day.format(view.periodEnd) },
    renews: view.renews,
    paymentFailed: view.paymentFailed,
    features: view.plan.features,
  };
}

const offerModel = (plan: Plan, amounts: Map<string, string>) => ({
  id: plan.id,
  name: plan.name,
  features: plan.features,
  prices: plan.prices.map((price) => ({ interval: price.interval, label: intervalWords[price.interval].adjective, per: intervalWords[price.interval].noun, amount: amounts.get(price.priceId) })),
});

export function mountBillingRoutes(edge: Edge, deps: { billing: BillingService; session: SignedInSession }): void {
  const { billing } = deps;
  const router = edge.pages<SignedIn>("billing", billingPaths);

  async function page(ctx: BillingContext, notice?: string) {
    const view = await billing.view(ctx.state.accountId);
    const offered = billing.enabled && !planModel(view).paid;
    const amounts = offered ? await billing.priceLabels() : new Map<string, string>();
    await renderPage(
      ctx,
      "billing/billing",
      {
        title: "Plan and billing",
        enabled: billing.enabled,
        current: planModel(view),
        offers: offered ? billing.plans.paid.map((plan) => offerModel(plan, amounts)) : [],
        notice,
        signOutUrl: deps.session.signOutUrl,
      },
      "default",
    );
  }

  /** Runs an action; a refusal or an unreachable Stripe becomes the page's notice. */
  async function act(ctx: BillingContext, work: () => Promise<string | undefined>) {
    let notice: string | undefined;
    try {
      notice = await work();
      if (ctx.status === 303) return;
    } catch (error) {
      if (!(error instanceof BillingError)) throw error;
      ctx.state.log.info({ code: error.code }, "billing action refused");
      ctx.status = error.status;
      notice = error.message;
    }
    await page(ctx, notice);
  }

  router.use(signedInOnly(deps.session));

  router.get(billingPaths.home, (ctx) => page(ctx));

  router.post(billingPaths.subscribe, (ctx) =>
    act(ctx, async () => {
      const form = submittedForm(ctx);
      const url = await billing.subscribe(ctx.state.accountId, form.get("plan"), form.get("interval"));
      ctx.state.log.info({ accountId: ctx.state.accountId }, "checkout opened");
      ctx.status = 303;
      ctx.redirect(url);
      return undefined;
    }),
  );

  router.get(billingPaths.return, (ctx) =>
    act(ctx, async () => {
      const sessionId = typeof ctx.query.session_id === "string" ? ctx.query.session_id : "";
      const outcome = await billing.finishCheckout(ctx.state.accountId, sessionId);
      return outcome === "active"
        ? "Thank you: your plan is active."
        : "Stripe has not confirmed your payment yet. Your plan changes as soon as it does; reload this page in a moment.";
    }),
  );

  router.post(billingPaths.cancel, (ctx) =>
    act(ctx, async () => {
      const view = await billing.cancel(ctx.state.accountId);
      ctx.state.log.info({ accountId: ctx.state.accountId }, "plan cancelled at period end");
      return view.periodEnd
        ? `Your plan is cancelled. You keep ${view.plan.name} until ${day.format(view.periodEnd)}, and you will not be charged again.`
        : "Your plan is cancelled.";
    }),
  );

  router.post(billingPaths.renew, (ctx) =>
    act(ctx, async () => {
      const view = await billing.renew(ctx.state.accountId);
      ctx.state.log.info({ accountId: ctx.state.accountId }, "plan renewed");
      return view.periodEnd ? `Your plan renews again on ${day.format(view.periodEnd)}.` : "Your plan renews again.";
    }),
  );
}
