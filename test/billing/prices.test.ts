/**
 * The billing page shows what each plan costs as Stripe's price objects say (amount,
 * currency, interval), read through the real SDK from the Stripe stand-in; when Stripe does
 * not answer, the page still offers the plans, without amounts, and asks again a minute later.
 */
import { openBilling } from "../support/billing.js";
import { movableClock } from "../support/clock.js";
import { signUp } from "../support/sign-up.js";
import { monthlyPrice, startTesseraWithFakeStripe, type FakeStripe } from "../support/stripe-fake.js";
import type { TestTessera } from "../support/tessera.js";
import { textOf } from "../support/page-text.js";

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

const amountsOn = (html: string) => [...html.matchAll(/<p class="price-amount">([^<]*)<\/p>/g)].map((match) => textOf(match[1]!));
const priceReads = () => stripe.requests.filter((request) => request.method === "GET" && request.path.startsWith("/v1/prices/")).length;

test("amounts come from Stripe; Stripe down shows the plans without them; they are read once", async () => {
  const { session } = await signUp(tessera);

  // Stripe failing (the one quick attempt per price): the plans are offered all the same.
  stripe.failRequests("GET", /^\/v1\/prices\//, 2);
  let page = await openBilling(session);
  expect(page.actions).toEqual(["subscribe-month", "subscribe-year"]);
  expect(amountsOn(page.hop.body)).toEqual([]);
  expect(priceReads()).toBe(2);

  // Within the minute, Stripe is not asked again.
  page = await openBilling(session);
  expect(amountsOn(page.hop.body)).toEqual([]);
  expect(priceReads()).toBe(2);

  clock.advance(61);
  page = await openBilling(session);
  expect(amountsOn(page.hop.body)).toEqual(["€3.00 a month", "€30.00 a year"]);

  // An operator's new amount is a new price at Stripe: a read price is kept, not asked again.
  const reads = priceReads();
  Object.assign(stripe.prices.get(monthlyPrice)!, { unit_amount: 400 });
  clock.advance(3600);
  page = await openBilling(session);
  expect(amountsOn(page.hop.body)).toEqual(["€3.00 a month", "€30.00 a year"]);
  expect(priceReads()).toBe(reads);
});
