/**
 * Stripe's webhooks at /webhooks/stripe: only what carries Stripe's signature (made by the
 * SDK's own helper, with the endpoint's secret, recent enough) is believed; an event is
 * handled once; events arriving out of order leave Stripe's current state; an event about a
 * customer Tessera does not know is acknowledged and changes nothing.
 */
import { Writable } from "node:stream";
import { pino } from "pino";
import { newPerson } from "../support/browser-session.js";
import { openBilling, payAndNotify, startCheckout } from "../support/billing.js";
import { accountIdOf } from "../support/account-page.js";
import { movableClock } from "../support/clock.js";
import { signUp } from "../support/sign-up.js";
import { fakeWebhookSecret, startTesseraWithFakeStripe, type FakeStripe } from "../support/stripe-fake.js";
import type { TestTessera } from "../support/tessera.js";

const clock = movableClock();
const logLines: Record<string, unknown>[] = [];
const log = pino(
  { level: "info" },
  new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString("utf8").split("\n").filter(Boolean)) logLines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  }),
);
let stripe: FakeStripe;
let tessera: TestTessera;

beforeAll(async () => {
  ({ stripe, tessera } = await startTesseraWithFakeStripe(clock, { log }));
}, 120_000);
afterAll(async () => {
  await tessera?.close();
  await stripe?.close();
});

async function premiumAccount() {
  const person = newPerson();
  const { session } = await signUp(tessera, person);
  const sessionId = await startCheckout(session, stripe);
  const subscriptionId = await payAndNotify(stripe, sessionId);
  return { session, accountId: await accountIdOf(tessera, person.email), subscriptionId, sessionId };
}

test("an unsigned, forged, stale or re-signed-with-another-secret event gets 400, is logged without the secret, and changes nothing", async () => {
  const { session } = await signUp(tessera);
  const sessionId = await startCheckout(session, stripe);
  const { session: completed } = stripe.completeCheckout(sessionId);
  const payload = stripe.event("checkout.session.completed", completed);
  const attempts = [
    await stripe.deliver(payload, ""),
    await stripe.deliver(payload, stripe.sign(payload, { secret: "whsec_someone_else" })),
    await stripe.deliver(payload, stripe.sign(payload, { timestamp: Math.floor(clock.now().getTime() / 1000) - 600 })),
    await stripe.deliver(payload.replace('"status":"complete"', '"status":"complete" '), stripe.sign(payload)),
  ];
  for (const attempt of attempts) {
    expect(attempt.status).toBe(400);
    expect(JSON.parse(attempt.body)).toEqual({ error: "invalid_request", error_description: "The Stripe signature could not be verified." });
  }
  expect((await openBilling(session)).plan).toBe("Free");
  const refusals = logLines.filter((line) => line.msg === "stripe webhook refused: signature not verified");
  expect(refusals).toHaveLength(4);
  expect(JSON.stringify(logLines)).not.toContain(fakeWebhookSecret);
  expect(JSON.stringify(refusals)).not.toContain("v1=");

  // The same event, properly signed, is believed.
  expect((await stripe.deliver(payload)).status).toBe(200);
  expect((await openBilling(session)).plan).toBe("Premium");
});

test("a replayed event changes nothing the second time", async () => {
  const { session, subscriptionId } = await premiumAccount();
  const failed = await stripe.send("invoice.payment_failed", stripe.invoiceFor(subscriptionId, "open"));
  expect(failed.status).toBe(200);
  expect((await openBilling(session)).hop.body).toContain("Your last payment failed");
  expect((await stripe.send("invoice.paid", stripe.invoiceFor(subscriptionId, "paid"))).status).toBe(200);
  expect((await openBilling(session)).hop.body).not.toContain("Your last payment failed");

  // Stripe (or an attacker holding a captured request) sends the failure again.
  const replay = await stripe.deliver(failed.payload, failed.header);
  expect(replay.status).toBe(200);
  expect((await openBilling(session)).hop.body).not.toContain("Your last payment failed");
});

test("events out of order leave the subscription as Stripe has it now", async () => {
  const { session, subscriptionId } = await premiumAccount();
  const subscription = stripe.subscriptions.get(subscriptionId)!;
  // In Stripe's dashboard: cancelled, then renewed a minute later.
  subscription.cancel_at_period_end = true;
  const cancelled = stripe.event("customer.subscription.updated", subscription);
  clock.advance(60);
  subscription.cancel_at_period_end = false;
  const renewed = stripe.event("customer.subscription.updated", subscription);

  expect((await stripe.deliver(renewed)).status).toBe(200);
  expect((await stripe.deliver(cancelled)).status).toBe(200);
  const page = await openBilling(session);
  expect(page.date).toMatch(/^Renews on /);
  expect(page.actions).toEqual(["cancel"]);
});

test("a late event about an old, ended subscription does not bring the plan back", async () => {
  const { session, accountId, subscriptionId, sessionId } = await premiumAccount();
  const completed = stripe.event("checkout.session.completed", stripe.sessions.get(sessionId)!);
  await session.request("/account/billing/cancel", { form: {} });
  stripe.endSubscription(subscriptionId);
  clock.advance(31 * 24 * 3600);
  await tessera.jobs.runDue();
  await tessera.jobs.whenIdle();
  expect((await tessera.db.prisma.planSubscription.findUnique({ where: { userId: accountId } }))?.planId).toBe("free");
  expect((await stripe.deliver(completed)).status).toBe(200);
  expect((await tessera.db.prisma.planSubscription.findUnique({ where: { userId: accountId } }))?.planId).toBe("free");
});

test("an event for a customer Tessera does not know is acknowledged, logged and changes nothing", async () => {
  const { session, sessionId } = await premiumAccount();
  const before = await tessera.db.prisma.planSubscription.findMany({ orderBy: { userId: "asc" } });
  // Another system's customer on the same Stripe account.
  const stranger = stripe.completeCheckout(sessionId).subscription;
  stranger.customer = "cus_not_ours";
  const sent = await stripe.send("customer.subscription.updated", stranger);
  expect(sent.status).toBe(200);
  expect(await tessera.db.prisma.planSubscription.findMany({ orderBy: { userId: "asc" } })).toEqual(before);
  expect(logLines.some((line) => line.msg === "stripe event for a customer we do not know; acknowledged")).toBe(true);
  expect((await openBilling(session)).plan).toBe("Premium");
});

test("a payment failure is shown until Stripe says an invoice was paid", async () => {
  const { session, subscriptionId } = await premiumAccount();
  await stripe.send("invoice.payment_failed", stripe.invoiceFor(subscriptionId, "open"));
  const page = await openBilling(session);
  expect(page.plan).toBe("Premium");
  expect(page.hop.body).toContain("Your last payment failed");
});
