/**
 * /account/billing in a real browser (Debian Chromium through playwright-core), in each
 * state a person meets: free (subscribe offered), paid and renewing (cancel offered),
 * cancelled (renew offered, end date shown), a failed payment, and billing not enabled —
 * at 1280 and 375 px, saved in test-results/screenshots/ for a person to look at. The
 * subscribe button goes through the Stripe stand-in's pay page and back, as Checkout does.
 * Every page loads with no console error or CSP violation, every input has a label, and
 * nothing sticks out.
 */
import type { BrowserContext, Page } from "playwright-core";
import { phone, screenshot, startBrowser, type TestBrowser } from "../support/chromium.js";
import { movableClock } from "../support/clock.js";
import { inPage, outsideTheirBox, overflowing, smallTargets, unlabelledInputs } from "../support/page-checks.js";
import { signUp } from "../support/sign-up.js";
import { startFakeStripe, type FakeStripe } from "../support/stripe-fake.js";
import { startTestTessera, type TestTessera } from "../support/tessera.js";

const clock = movableClock();
let stripe: FakeStripe;
let tessera: TestTessera;
let browser: TestBrowser;

beforeAll(async () => {
  stripe = await startFakeStripe(clock);
  [tessera, browser] = await Promise.all([startTestTessera({ clock, env: stripe.env() }), startBrowser()]);
  stripe.webhookUrl = `${tessera.issuer}/webhooks/stripe`;
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await tessera?.close();
  await stripe?.close();
});

async function measure(page: Page, width: number) {
  return {
    scrollWidth: await inPage<number>(page, "document.documentElement.scrollWidth"),
    overflow: await overflowing(page, width),
    outside: await outsideTheirBox(page),
    unlabelled: await unlabelledInputs(page),
  };
}
const fits = (width: number) => ({ scrollWidth: width, overflow: [], outside: [], unlabelled: [] });

/** Screenshots the billing page at 1280 and 375 px in the given browser state, and checks both fit. */
async function bothWidths(state: Awaited<ReturnType<BrowserContext["storageState"]>>, name: string) {
  const wide = await browser.openPage({ storageState: state });
  await wide.page.goto(`${tessera.issuer}/account/billing`);
  await screenshot(wide.page, name);
  const desktop = await measure(wide.page, 1280);
  expect(await wide.watcher.take()).toEqual([]);
  const narrow = await browser.openPage({ ...phone, storageState: state });
  await narrow.page.goto(`${tessera.issuer}/account/billing`);
  await screenshot(narrow.page, `${name}-mobile`);
  const mobile = { ...(await measure(narrow.page, 375)), small: await smallTargets(narrow.page, 44) };
  expect(await narrow.watcher.take()).toEqual([]);
  expect(desktop).toEqual(fits(1280));
  expect(mobile).toEqual({ ...fits(375), small: [] });
  return wide.page;
}

test("free → subscribe through Checkout → renewing → cancelled → renewed, with a failed payment on the way", async () => {
  const { person } = await signUp(tessera);
  const { context, page, watcher } = await browser.openPage();
  await page.goto(`${tessera.issuer}/account/billing`);
  await page.waitForURL(/\/interaction\/[\w-]+$/);
  expect(await watcher.take()).toEqual([]);
  await page.getByLabel("Email", { exact: true }).fill(person.email);
  await page.getByLabel("Password", { exact: true }).fill(person.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.waitForURL(/\/account(\?|$)/);
  // The account page's navigation leads to the plan.
  await page.getByRole("navigation", { name: "Account" }).getByRole("link", { name: "Plan" }).click();
  await page.waitForURL(/\/account\/billing$/);
  expect(await page.locator("h1").innerText()).toBe("Plan and billing");
  expect(await page.locator(".current-plan").innerText()).toBe("Free");
  expect(await page.getByRole("button", { name: /^Subscribe/ }).count()).toBe(2);
  expect(await page.getByRole("button", { name: "Subscribe monthly to Premium" }).isVisible()).toBe(true);
  expect(await page.getByRole("button", { name: "Subscribe yearly to Premium" }).isVisible()).toBe(true);
  expect(await page.locator(".price-amount").allInnerTexts()).toEqual(["€3.00 a month", "€30.00 a year"]);
  expect(await page.getByRole("button", { name: /Cancel plan|Renew plan/ }).count()).toBe(0);
  expect(await watcher.take()).toEqual([]);
  await bothWidths(await context.storageState(), "billing-free");

  // Subscribe: off to Stripe's page, pay, back to Tessera, which asks Stripe.
  await page.getByRole("button", { name: "Subscribe monthly to Premium" }).click();
  await page.waitForURL(/\/pay\/cs_test_/);
  await page.getByRole("button", { name: "Pay" }).click();
  await page.waitForURL(/\/account\/billing\/return\?session_id=cs_test_/);
  expect(await page.locator(".notice[role=status]").innerText()).toBe("Thank you: your plan is active.");
  expect(await page.locator(".current-plan").innerText()).toMatch(/^Premium\s+Monthly$/);
  expect(await page.locator(".plan-date").innerText()).toMatch(/^Renews on \d{1,2} \w+ \d{4}\.$/);
  expect(await page.getByRole("button", { name: /^Subscribe/ }).count()).toBe(0);
  await bothWidths(await context.storageState(), "billing-renewing");

  // A failed payment is shown.
  const subscriptionId = [...stripe.subscriptions.keys()].at(-1)!;
  await stripe.send("invoice.payment_failed", stripe.invoiceFor(subscriptionId, "open"));
  await bothWidths(await context.storageState(), "billing-payment-failed");
  await stripe.send("invoice.paid", stripe.invoiceFor(subscriptionId, "paid"));

  // Cancel: the plan stays until its end date; only Renew is offered.
  await page.goto(`${tessera.issuer}/account/billing`);
  await page.getByRole("button", { name: "Cancel plan" }).click();
  await page.waitForLoadState();
  expect(await page.locator(".notice[role=status]").innerText()).toMatch(/^Your plan is cancelled\. You keep Premium until /);
  expect(await page.locator(".plan-date").innerText()).toMatch(/^Cancelled: you keep Premium until \d{1,2} \w+ \d{4}, then move to the free plan\./);
  expect(await page.getByRole("button", { name: "Cancel plan" }).count()).toBe(0);
  await bothWidths(await context.storageState(), "billing-cancelled");

  await page.getByRole("button", { name: "Renew plan" }).click();
  await page.waitForLoadState();
  expect(await page.locator(".notice[role=status]").innerText()).toMatch(/^Your plan renews again on /);
  expect(await page.getByRole("button", { name: "Cancel plan" }).isVisible()).toBe(true);
  expect(await watcher.take()).toEqual([]);
}, 120_000);

test("without Stripe settings the page says billing is not enabled", async () => {
  const plain = await startTestTessera();
  try {
    const { person } = await signUp(plain);
    const { context, page } = await browser.openPage();
    await page.goto(`${plain.issuer}/account/billing`);
    await page.getByLabel("Email", { exact: true }).fill(person.email);
    await page.getByLabel("Password", { exact: true }).fill(person.password);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await page.waitForURL(/\/account(\?|$)/);
    await page.goto(`${plain.issuer}/account/billing`);
    expect(await page.getByRole("heading", { level: 2 }).allInnerTexts()).toEqual(["Your plan", "Billing is not enabled"]);
    expect(await page.locator(".current-plan").innerText()).toBe("Free");
    expect(await page.locator("form").count()).toBe(0);
    await screenshot(page, "billing-disabled");
    const mobile = await browser.openPage({ ...phone, storageState: await context.storageState() });
    await mobile.page.goto(`${plain.issuer}/account/billing`);
    await screenshot(mobile.page, "billing-disabled-mobile");
    expect(await mobile.watcher.take()).toEqual([]);
    // A post to the subscribe action says the same instead of failing.
    const posted = await page.evaluate(async () => (await fetch("/account/billing/subscribe", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "plan=premium&interval=month" })).status);
    expect(posted).toBe(404);
  } finally {
    await plain.close();
  }
}, 120_000);
