/**
 * A plan's life through Stripe, against the real SDK talking to a Stripe stand-in, walked
 * with a clock the test moves: subscribe, cancel, renew, cancel, period end (free again,
 * Stripe customer deleted), subscribe again. Also: the browser's return is not Stripe's
 * word, a lost Stripe answer does not create twice, and the expiry sweep run twice ends a
 * plan once.
 */
import { newPerson } from "../support/browser-session.js";
import { openBilling, payAndNotify, startCheckout } from "../support/billing.js";
import { movableClock } from "../support/clock.js";
import { signIn, signUp } from "../support/sign-up.js";
import { monthlyPrice, startTesseraWithFakeStripe, type FakeStripe } from "../support/stripe-fake.js";
import type { TestTessera } from "../support/tessera.js";
import { accountIdOf } from "../support/account-page.js";

const day = 24 * 3600;
const clock = movableClock();
let stripe: FakeStripe;
let tessera: TestTessera;

beforeAll(async () => {
  ({ stripe, tessera } = await startTesseraWithFakeStripe(clock));
}, 120_000);
afterAll(async () => {
  await tessera?.close();
  await stripe?.close();
});

const planRow = (accountId: string) => tessera.db.prisma.planSubscription.findUnique({ where: { userId: accountId } });
const planEvents = (accountId: string) => tessera.db.prisma.domainEvent.findMany({ where: { accountId, type: "account.plan-changed" }, orderBy: { occurredAt: "asc" } });

test("subscribe, cancel, renew, cancel, run out, subscribe again", async () => {
  const person = newPerson();
  let { session } = await signUp(tessera, person);
  const accountId = await accountIdOf(tessera, person.email);

  let page = await openBilling(session);
  expect(page.plan).toBe("Free");
  expect(page.actions).toEqual(["subscribe-month", "subscribe-year"]);

  // Subscribe: Tessera sends the browser to Checkout; coming back before paying changes nothing.
  const sessionId = await startCheckout(session, stripe, "month");
  const returned = await session.follow(`/account/billing/return?session_id=${sessionId}`);
  expect(returned.body).toContain("Stripe has not confirmed your payment yet");
  expect((await openBilling(session)).plan).toBe("Free");

  const subscriptionId = await payAndNotify(stripe, sessionId);
  page = await openBilling(session);
  const renewal = new Date((clock.now().getTime() / 1000 + 30 * day) * 1000);
  expect(page.plan).toBe("Premium");
  expect(page.date).toBe(`Renews on ${renewal.toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" })}.`);
  expect(page.actions).toEqual(["cancel"]);
  const customerId = (await planRow(accountId))!.stripeCustomerId!;
  expect(stripe.customers.get(customerId)?.metadata).toEqual({ tessera_account: accountId });

  // Cancel: the plan stays, with its end date; Stripe was told cancel_at_period_end.
  expect((await session.request("/account/billing/cancel", { form: {} })).body).toContain("Your plan is cancelled. You keep Premium until");
  page = await openBilling(session);
  expect(page.plan).toBe("Premium");
  expect(page.date).toMatch(/^Cancelled: you keep Premium until /);
  expect(page.actions).toEqual(["renew"]);
  expect(stripe.subscriptions.get(subscriptionId)?.cancel_at_period_end).toBe(true);

  // Renew before the end: the cancellation is undone.
  const renewed = await session.request("/account/billing/renew", { form: {} });
  expect(renewed.status).toBe(200);
  expect(renewed.body).toContain("Your plan renews again on");
  page = await openBilling(session);
  expect(page.date).toMatch(/^Renews on /);
  expect(page.actions).toEqual(["cancel"]);
  expect(stripe.subscriptions.get(subscriptionId)?.cancel_at_period_end).toBe(false);

  await session.request("/account/billing/cancel", { form: {} });
  expect(stripe.subscriptions.get(subscriptionId)?.cancel_at_period_end).toBe(true);

  // The period ends: the schedule's sweep makes the plan free, clears Stripe's references and
  // deletes the customer; Stripe's own "subscription deleted" that follows changes nothing.
  clock.advance(31 * day);
  await tessera.jobs.runDue();
  await tessera.jobs.whenIdle();
  const row = await planRow(accountId);
  expect(row).toMatchObject({ planId: "free", stripeCustomerId: null, stripeSubscriptionId: null, stripePaymentMethodId: null, periodEnd: null, cancelAtPeriodEnd: false });
  expect(stripe.deletedCustomers).toEqual([customerId]);
  const deleted = await stripe.send("customer.subscription.deleted", stripe.subscriptions.get(subscriptionId)!);
  expect(deleted.status).toBe(200);
  expect((await planRow(accountId))?.planId).toBe("free");
  expect((await planEvents(accountId)).map((event) => (event.data as { plan: string }).plan)).toEqual(["premium", "free"]);

  // Subscribing again is the normal flow, with a new customer.
  ({ session } = await signIn(tessera, person.email, person.password));
  page = await openBilling(session);
  expect(page.plan).toBe("Free");
  expect(page.actions).toEqual(["subscribe-month", "subscribe-year"]);
  const again = await startCheckout(session, stripe, "year");
  await payAndNotify(stripe, again);
  page = await openBilling(session);
  expect(page.plan).toBe("Premium");
  const newCustomer = (await planRow(accountId))!.stripeCustomerId;
  expect(newCustomer).not.toBe(customerId);
  expect([...stripe.customers.values()].filter((customer) => (customer.metadata as { tessera_account?: string }).tessera_account === accountId)).toHaveLength(1);
}, 120_000);

test("coming back from Checkout after paying activates the plan by asking Stripe, even before the webhook", async () => {
  const { session } = await signUp(tessera);
  const sessionId = await startCheckout(session, stripe);
  stripe.completeCheckout(sessionId);
  const hop = await session.follow(`/account/billing/return?session_id=${sessionId}`);
  expect(hop.body).toContain("Thank you: your plan is active.");
  expect((await openBilling(session)).plan).toBe("Premium");
});

test("another account's Checkout session in the return link does not give this account a plan", async () => {
  const payer = await signUp(tessera);
  const other = await signUp(tessera);
  await startCheckout(other.session, stripe);
  const paid = await startCheckout(payer.session, stripe);
  stripe.completeCheckout(paid);
  const hop = await other.session.follow(`/account/billing/return?session_id=${paid}`);
  expect(hop.body).toContain("Stripe has not confirmed your payment yet");
  expect((await openBilling(other.session)).plan).toBe("Free");
});

test("a Stripe answer lost after Stripe acted: the retry reuses the idempotency key, and nothing is created twice", async () => {
  const person = newPerson();
  const { session } = await signUp(tessera, person);
  const accountId = await accountIdOf(tessera, person.email);
  const mine = () => [...stripe.customers.values()].filter((customer) => (customer.metadata as { tessera_account?: string }).tessera_account === accountId);
  const sessionsOf = () => [...stripe.sessions.values()].filter((candidate) => candidate.client_reference_id === accountId);

  // Both the SDK's attempt and its one retry lose their answers: the user is told to try again.
  stripe.dropResponses(/^\/v1\/customers$/, 2);
  const failed = await session.request("/account/billing/subscribe", { form: { plan: "premium", interval: "month" } });
  expect(failed.status).toBe(503);
  expect(failed.body).toContain("We could not reach our payment provider");
  expect(mine()).toHaveLength(1);

  stripe.dropResponses(/^\/v1\/checkout\/sessions$/, 2);
  expect((await session.request("/account/billing/subscribe", { form: { plan: "premium", interval: "month" } })).status).toBe(503);
  expect(sessionsOf()).toHaveLength(1);

  const sessionId = await startCheckout(session, stripe);
  expect(mine()).toHaveLength(1);
  expect(sessionsOf()).toHaveLength(1);
  expect(sessionsOf()[0]!.id).toBe(sessionId);
  const keys = stripe.requests.filter((request) => request.method === "POST" && request.path === "/v1/customers" && request.idempotencyKey?.includes(accountId)).map((request) => request.idempotencyKey);
  expect(new Set(keys).size).toBe(1);
  expect(keys.length).toBeGreaterThanOrEqual(3);
});

test("an open Checkout session is reused rather than a second one opened", async () => {
  const { session } = await signUp(tessera);
  const first = await startCheckout(session, stripe);
  expect(await startCheckout(session, stripe)).toBe(first);
  // Another price is another session.
  expect(await startCheckout(session, stripe, "year")).not.toBe(first);
  expect(stripe.sessions.get(first)?.line_items_price).toBe(monthlyPrice);
});

test("the expiry sweep running twice at once ends a plan once and deletes its customer once", async () => {
  const person = newPerson();
  const { session } = await signUp(tessera, person);
  const accountId = await accountIdOf(tessera, person.email);
  const subscriptionId = await payAndNotify(stripe, await startCheckout(session, stripe));
  await session.request("/account/billing/cancel", { form: {} });
  const customerId = (await planRow(accountId))!.stripeCustomerId!;
  stripe.endSubscription(subscriptionId);

  clock.advance(31 * day);
  await Promise.all([tessera.jobs.runDue(), tessera.jobs.runDue(), tessera.jobs.whenIdle()]);
  await tessera.jobs.whenIdle();
  expect((await planRow(accountId))?.planId).toBe("free");
  expect(stripe.requests.filter((request) => request.method === "DELETE" && request.path === `/v1/customers/${customerId}`)).toHaveLength(1);
  expect((await planEvents(accountId)).filter((event) => (event.data as { plan: string }).plan === "free")).toHaveLength(1);
});

test("a renewal whose webhook was missed is not mistaken for an ended plan", async () => {
  const person = newPerson();
  const { session } = await signUp(tessera, person);
  const accountId = await accountIdOf(tessera, person.email);
  const subscriptionId = await payAndNotify(stripe, await startCheckout(session, stripe));
  clock.advance(30 * day + 60);
  stripe.renew(subscriptionId);
  await tessera.jobs.runDue();
  await tessera.jobs.whenIdle();
  const row = await planRow(accountId);
  expect(row?.planId).toBe("premium");
  expect(row?.periodEnd!.getTime()).toBeGreaterThan(clock.now().getTime() + 29 * day * 1000);
});

test("subscribing again after paying, before Stripe's webhook arrives, takes the paid plan instead of opening a second subscription", async () => {
  const { session } = await signUp(tessera);
  const sessionId = await startCheckout(session, stripe);
  stripe.completeCheckout(sessionId);
  const subscriptionsBefore = stripe.subscriptions.size;
  const again = await session.request("/account/billing/subscribe", { form: { plan: "premium", interval: "year" } });
  expect(again.status).toBe(409);
  expect(again.body).toContain("Your last payment went through: your plan is active.");
  expect((await openBilling(session)).plan).toBe("Premium");
  expect(stripe.subscriptions.size).toBe(subscriptionsBefore);
});
