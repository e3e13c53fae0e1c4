/**
 * Deleting an account that pays through Stripe: its subscription is cancelled at Stripe and
 * its customer deleted, by a job written in the deletion's transaction, so Stripe being down
 * delays the clean-up without losing it. The real SDK talks to the Stripe stand-in.
 */
import { accountIdOf } from "../support/account-page.js";
import { payAndNotify, startCheckout } from "../support/billing.js";
import { newPerson, type BrowserSession } from "../support/browser-session.js";
import { movableClock } from "../support/clock.js";
import { signUp } from "../support/sign-up.js";
import { startTesseraWithFakeStripe, type FakeStripe } from "../support/stripe-fake.js";
import type { TestTessera } from "../support/tessera.js";

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

const closeJobs = () => tessera.db.prisma.job.findMany({ where: { kind: "billing.close-customer" } });
const requestsTo = (method: string, path: string) => stripe.requests.filter((request) => request.method === method && request.path === path);

async function deleteAccount(session: BrowserSession, email: string): Promise<void> {
  const gone = await session.follow("/account/delete", { form: { confirmation: email } });
  expect(gone.body).toContain("Your account was deleted");
}

/** A new account on Premium: its Stripe customer and subscription. */
async function premiumAccount() {
  const person = newPerson();
  const { session } = await signUp(tessera, person);
  const accountId = await accountIdOf(tessera, person.email);
  const subscriptionId = await payAndNotify(stripe, await startCheckout(session, stripe));
  const customerId = (await tessera.db.prisma.planSubscription.findUniqueOrThrow({ where: { userId: accountId } })).stripeCustomerId!;
  return { person, session, subscriptionId, customerId };
}

test("deleting a paying account cancels its subscription now and deletes its Stripe customer", async () => {
  const { person, session, subscriptionId, customerId } = await premiumAccount();
  await deleteAccount(session, person.email);
  await tessera.jobs.whenIdle();

  const subscription = stripe.subscriptions.get(subscriptionId)!;
  expect(subscription.status).toBe("canceled");
  expect(requestsTo("DELETE", `/v1/subscriptions/${subscriptionId}`)).toHaveLength(1);
  expect(stripe.deletedCustomers).toContain(customerId);
  expect(stripe.customers.has(customerId)).toBe(false);
  expect(await closeJobs()).toEqual([]);
});

test("Stripe failing: the clean-up waits in the job queue and is done once Stripe answers again", async () => {
  const { person, session, subscriptionId, customerId } = await premiumAccount();
  // Stripe's 500 to the SDK's attempt and to its one retry: the job's first run fails.
  stripe.failRequests("DELETE", new RegExp(`^/v1/customers/${customerId}$`), 2);
  await deleteAccount(session, person.email);
  await tessera.jobs.whenIdle();

  const [waiting] = await closeJobs();
  expect(waiting).toMatchObject({ state: "ready", attempts: 1, payload: { customerId, subscriptionId } });
  expect(waiting!.runAt.getTime()).toBeGreaterThan(clock.now().getTime());
  expect(stripe.customers.has(customerId)).toBe(true);
  // The subscription was cancelled on the first run; the retry does not cancel it again.
  expect(stripe.subscriptions.get(subscriptionId)?.status).toBe("canceled");

  clock.advance(3600);
  await tessera.jobs.runDue();
  await tessera.jobs.whenIdle();
  expect(stripe.customers.has(customerId)).toBe(false);
  expect(stripe.deletedCustomers.filter((id) => id === customerId)).toHaveLength(1);
  expect(requestsTo("DELETE", `/v1/subscriptions/${subscriptionId}`)).toHaveLength(1);
  expect(requestsTo("DELETE", `/v1/customers/${customerId}`)).toHaveLength(3);
  expect(await closeJobs()).toEqual([]);
});

test("an account deleted with Checkout still open: the payment page is expired and the customer deleted", async () => {
  const person = newPerson();
  const { session } = await signUp(tessera, person);
  const accountId = await accountIdOf(tessera, person.email);
  const checkoutId = await startCheckout(session, stripe);
  const customerId = (await tessera.db.prisma.planSubscription.findUniqueOrThrow({ where: { userId: accountId } })).stripeCustomerId!;
  await deleteAccount(session, person.email);
  await tessera.jobs.whenIdle();

  expect(stripe.sessions.get(checkoutId)?.status).toBe("expired");
  const expiry = requestsTo("POST", `/v1/checkout/sessions/${checkoutId}/expire`);
  expect(expiry).toHaveLength(1);
  expect(expiry[0]!.idempotencyKey).toMatch(/^tessera-expire-/);
  expect(stripe.deletedCustomers).toContain(customerId);
});

test("an account that never went to Stripe is deleted without a call to Stripe", async () => {
  const person = newPerson();
  const { session } = await signUp(tessera, person);
  const before = stripe.requests.length;
  await deleteAccount(session, person.email);
  await tessera.jobs.whenIdle();
  expect(stripe.requests.length).toBe(before);
  expect(await closeJobs()).toEqual([]);
});
