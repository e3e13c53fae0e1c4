/**
 * The billing page as the billing tests read it: the plan shown, its date line, the actions
 * offered, and the two steps of subscribing (open Checkout, then pay at the Stripe stand-in).
 */
import type { BrowserSession, Hop } from "./browser-session.js";
import { textOf } from "./page-text.js";
import type { FakeStripe } from "./stripe-fake.js";

export interface BillingPage {
  hop: Hop;
  /** The plan's name as shown under "Your plan". */
  plan: string;
  /** "Renews on …", "Cancelled: you keep … until …", or "" on the free plan. */
  date: string;
  /** Actions offered: subscribe-month, subscribe-year, cancel, renew. */
  actions: string[];
  notice: string;
}

export function readBilling(hop: Hop): BillingPage {
  const html = hop.body;
  if (!html.includes("<h1>Plan and billing</h1>")) throw new Error(`not the billing page: ${hop.status} ${hop.url}\n${html.slice(0, 1200)}`);
  const actions: string[] = [];
  for (const match of html.matchAll(/name="interval" value="(\w+)"/g)) actions.push(`subscribe-${match[1]}`);
  if (html.includes('action="/account/billing/cancel"')) actions.push("cancel");
  if (html.includes('action="/account/billing/renew"')) actions.push("renew");
  return {
    hop,
    plan: textOf(/<p class="current-plan"><span class="row-title">([^<]*)<\/span>/.exec(html)?.[1] ?? ""),
    date: textOf(/<p class="plan-date">([\s\S]*?)<\/p>/.exec(html)?.[1] ?? "").replace(/ ([.,])/g, "$1"),
    actions,
    notice: textOf(/<p class="notice" role="status">([\s\S]*?)<\/p>/.exec(html)?.[1] ?? ""),
  };
}

export async function openBilling(session: BrowserSession): Promise<BillingPage> {
  return readBilling(await session.follow("/account/billing"));
}

/** Presses "Subscribe monthly|yearly": answers the Checkout session id Tessera sent the browser to. */
export async function startCheckout(session: BrowserSession, stripe: FakeStripe, interval: "month" | "year" = "month"): Promise<string> {
  const hop = await session.request("/account/billing/subscribe", { form: { plan: "premium", interval } });
  if (hop.status !== 303 || !hop.location?.startsWith(`${stripe.url}/pay/`)) throw new Error(`subscribe did not open Checkout: ${hop.status} ${hop.location ?? ""}\n${hop.body.slice(0, 800)}`);
  return new URL(hop.location).pathname.split("/")[2]!;
}

/** Pays at Stripe and lets Stripe's webhook tell Tessera; answers the subscription id. */
export async function payAndNotify(stripe: FakeStripe, sessionId: string): Promise<string> {
  const { session, subscription } = stripe.completeCheckout(sessionId);
  const sent = await stripe.send("checkout.session.completed", session);
  if (sent.status !== 200) throw new Error(`webhook answered ${sent.status}: ${sent.body}`);
  return String(subscription.id);
}
