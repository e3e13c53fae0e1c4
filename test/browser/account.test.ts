/**
 * The account pages in a real browser (Debian Chromium through playwright-core): sign up
 * from /account, confirm the address from the mail, add a second address (and a refused
 * one), the page on a desktop and on a 375px phone; then the reset-password page and the
 * page for a truncated confirmation link. Every page must load with no console error and
 * no CSP violation, every input must have a label, and each page is saved as a full-page
 * screenshot in test-results/screenshots/ for a person to look at.
 */
import type { BrowserContext, BrowserContextOptions } from "playwright-core";
import { inPage, outsideTheirBox, overflowing, unlabelledInputs } from "../support/page-checks.js";
import { phone, screenshot, startBrowser, type TestBrowser } from "../support/chromium.js";
import { startTestTessera, type TestTessera } from "../support/tessera.js";
import { confirmLinkOf, mailAfter, mailMark } from "../support/mailbox.js";

let tessera: TestTessera;
let browser: TestBrowser;

beforeAll(async () => {
  [tessera, browser] = await Promise.all([startTestTessera(), startBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await tessera?.close();
});

const openPage = (options?: BrowserContextOptions) => browser.openPage(options);





let people = 0;
function newEmail(label: string): string {
  people += 1;
  return `${label}.${Date.now()}.${people}@example.test`;
}

/** Shared by the tests below, which run in order: the account the first one signs up. */
let email = "";
let signedIn: Awaited<ReturnType<BrowserContext["storageState"]>> | undefined;

test("sign up from /account, confirm by mail, add a second address and a refused one (desktop)", async () => {
  const { context, page, watcher } = await openPage();
  email = newEmail("grace.account");
  const second = newEmail("grace.second");

  // /account without a session → sign in → create an account → back on /account.
  await page.goto(`${tessera.issuer}/account`);
  await page.waitForURL(/\/interaction\/[\w-]+$/);
  expect(await page.locator("h1").innerText()).toBe("Sign in");
  await page.getByRole("link", { name: "Create an account" }).click();
  await page.waitForURL(/\/register$/);
  const signUpMark = mailMark(tessera);
  await page.getByLabel("Name", { exact: true }).fill("Grace Account");
  await page.getByLabel("Email", { exact: true }).fill(email);
  await page.getByLabel("Password", { exact: true }).fill("correct horse battery staple");
  await page.getByRole("button", { name: "Create account" }).click();
  await page.waitForURL(/\/register\/sent$/);
  expect(await page.locator("h1").innerText()).toBe("Check your email");
  expect(await watcher.take()).toEqual([]);

  // The registration link from the mail, opened in this browser, creates the account and
  // finishes the sign-in: back on /account.
  const registration = await mailAfter(tessera, signUpMark, { to: email, subject: "Confirm your email address" });
  await page.goto(confirmLinkOf(registration));
  const confirmedOverflow = await outsideTheirBox(page);
  await screenshot(page, "account-email-confirmed");
  await page.getByRole("button", { name: "Confirm my email address" }).click();
  await page.waitForURL(/\/account(\?|$)/);
  expect(await page.locator("h1").innerText()).toBe("Your account");
  expect(await watcher.take()).toEqual([]);
  await page.goto(`${tessera.issuer}/account`);
  const accountUrl = page.url();

  // Add a second address.
  await page.getByLabel("Add an email address").fill(second);
  await page.getByRole("button", { name: "Add address" }).click();
  await page.waitForLoadState();
  const notice = page.locator(".notice[role=status]");
  expect(await notice.innerText()).toBe(`We sent a link to ${second}. Open it to confirm the address; until then it stays unverified.`);
  // Post/redirect/get: the address bar shows /account, not the form's POST URL, and a
  // reload shows the page without sending the form again (nor the notice).
  expect(page.url()).toBe(`${tessera.issuer}/account`);
  await page.reload();
  expect(await notice.count()).toBe(0);
  expect(await page.locator("ul.emails > li").count()).toBe(2);
  await page.goBack();
  await page.waitForLoadState();
  expect(page.url()).toBe(`${tessera.issuer}/account`);
  await page.goForward();
  await page.waitForLoadState();
  const rows = page.locator("ul.emails > li");
  expect(await rows.count()).toBe(2);
  expect(await rows.nth(0).innerText()).toMatch(new RegExp(`${email.replace(/\./g, "\\.")}\\s+Primary\\s+Verified`));
  expect(await rows.nth(1).innerText()).toContain("Awaiting confirmation");
  expect(await page.getByRole("button", { name: `Remove ${second}` }).isVisible()).toBe(true);
  expect(await unlabelledInputs(page)).toEqual([]);
  expect(await overflowing(page, 1280)).toEqual([]);
  expect(await outsideTheirBox(page)).toEqual([]);
  await screenshot(page, "account");
  expect(await watcher.take()).toEqual([]);

  // A refused add: the message under the field, the input kept and focused.
  await page.getByLabel("Add an email address").fill(email.toUpperCase());
  await page.getByRole("button", { name: "Add address" }).click();
  await page.waitForLoadState();
  const input = page.getByLabel("Add an email address");
  expect(await input.getAttribute("aria-invalid")).toBe("true");
  expect(await page.locator("#email-error").innerText()).toContain("This address is already on your account.");
  expect(await input.inputValue()).toBe(email.toUpperCase());
  expect(await inPage(page, "document.activeElement.id")).toBe("email");
  expect(await page.title()).toBe("Error: Your account · Tessera");
  await screenshot(page, "account-error");
  expect(await watcher.take()).toEqual([]);
  expect(await outsideTheirBox(page)).toEqual([]);
  expect(new URL(accountUrl).pathname).toBe("/account");
  signedIn = await context.storageState();
  // Last, so that the account pages above are checked (and saved) whatever happens here.
  expect(confirmedOverflow).toEqual([]);
});

test("the account page fits a 375px-wide phone, with and without a notice", async () => {
  expect(signedIn).toBeDefined();
  const mobile = await openPage({ ...phone, storageState: signedIn });
  await mobile.page.goto(`${tessera.issuer}/account`);
  expect(await mobile.page.locator("h1").innerText()).toBe("Your account");
  expect(await mobile.page.locator("ul.emails > li").count()).toBe(2);
  // Screenshots and measurements first, assertions after: a failure can then be looked at.
  await screenshot(mobile.page, "account-mobile");
  const plain = { width: await inPage<number>(mobile.page, "document.documentElement.scrollWidth"), overflow: await overflowing(mobile.page, 375), outside: await outsideTheirBox(mobile.page) };
  expect(await mobile.watcher.take()).toEqual([]);
  expect(await unlabelledInputs(mobile.page)).toEqual([]);
  const addButton = await mobile.page.getByRole("button", { name: "Add address" }).boundingBox();
  expect(addButton!.height).toBeGreaterThanOrEqual(44);

  await mobile.page.getByLabel("Add an email address").fill(newEmail("grace.phone.third"));
  await mobile.page.getByRole("button", { name: "Add address" }).click();
  await mobile.page.waitForLoadState();
  expect(await mobile.page.locator(".notice[role=status]").innerText()).toMatch(/^We sent a link to grace\.phone\.third\./);
  await screenshot(mobile.page, "account-mobile-notice");
  const withNotice = { width: await inPage<number>(mobile.page, "document.documentElement.scrollWidth"), overflow: await overflowing(mobile.page, 375), outside: await outsideTheirBox(mobile.page) };
  expect(await mobile.watcher.take()).toEqual([]);

  expect({ plain, withNotice }).toEqual({ plain: { width: 375, overflow: [], outside: [] }, withNotice: { width: 375, overflow: [], outside: [] } });
});

test("the reset-password page (desktop, with an error, phone) and the page for a truncated link", async () => {
  expect(signedIn).toBeDefined();
  const { page, watcher } = await openPage({ storageState: signedIn });
  await page.goto(`${tessera.issuer}/account`);
  expect(await page.locator("h1").innerText()).toBe("Your account");

  // "Ask for a reset link" → the form with the address filled in → the mail → "Choose a new password".
  await page.getByRole("link", { name: "ask for a reset link" }).click();
  await page.waitForURL(/\/password\/forgot\?email=/);
  expect(await page.getByLabel("Email", { exact: true }).inputValue()).toBe(email);
  expect(await unlabelledInputs(page)).toEqual([]);
  await screenshot(page, "forgot-password");
  expect(await watcher.take()).toEqual([]); // also lets the page finish loading (favicon) before leaving it
  const resetMark = mailMark(tessera);
  await page.getByRole("button", { name: "Send reset link" }).click();
  await page.waitForLoadState();
  expect(await page.locator("h1").innerText()).toBe("Check your email");
  expect(await watcher.take()).toEqual([]);
  const resetLink = confirmLinkOf(await mailAfter(tessera, resetMark, { to: email, subject: "Reset your Tessera password" }));
  const resetResponse = await page.goto(resetLink);
  expect(resetResponse!.status()).toBe(200);
  expect(await page.locator("h1").innerText()).toBe("Choose a new password");
  expect(await inPage(page, "document.activeElement.id")).toBe("password");
  expect(await page.getByLabel("New password").getAttribute("autocomplete")).toBe("new-password");
  expect(await unlabelledInputs(page)).toEqual([]);
  await screenshot(page, "reset-password");
  expect(await watcher.take()).toEqual([]);
  expect(await outsideTheirBox(page)).toEqual([]);

  await page.getByLabel("New password").fill("short");
  await page.getByRole("button", { name: "Set new password" }).click();
  await page.waitForLoadState();
  expect(await page.locator("#password-error").innerText()).toContain("Use at least 8 characters.");
  expect(await page.getByLabel("New password").getAttribute("aria-invalid")).toBe("true");
  await screenshot(page, "reset-password-error");
  expect(await watcher.take()).toEqual([]);

  const mobileReset = await openPage(phone);
  await mobileReset.page.goto(resetLink);
  expect(await inPage(mobileReset.page, "document.documentElement.scrollWidth")).toBeLessThanOrEqual(375);
  await screenshot(mobileReset.page, "reset-password-mobile");
  expect(await mobileReset.watcher.take()).toEqual([]);
  expect(await outsideTheirBox(mobileReset.page)).toEqual([]);

  // A link cut short by a mail program: its own page, in Tessera's layout.
  const truncated = resetLink.slice(0, -7);
  const failure = await page.goto(truncated);
  expect(failure!.status()).toBe(404);
  expect(await page.locator("h1").innerText()).toBe("This link is incomplete");
  expect(await page.locator(".lead").innerText()).toContain("Part of the link seems to be missing.");
  expect(await page.locator("header.brand").innerText()).toContain("Tessera");
  await screenshot(page, "confirmation-failure");
  expect(await watcher.take()).toEqual([]);
  expect(await outsideTheirBox(page)).toEqual([]);

  const mobileFailure = await openPage(phone);
  await mobileFailure.page.goto(truncated);
  expect(await inPage(mobileFailure.page, "document.documentElement.scrollWidth")).toBeLessThanOrEqual(375);
  await screenshot(mobileFailure.page, "confirmation-failure-mobile");
  expect(await mobileFailure.watcher.take()).toEqual([]);
});

test("the account page in dark mode", async () => {
  const { page, watcher } = await openPage({ colorScheme: "dark" });
  await page.goto(`${tessera.issuer}/account`);
  await page.waitForURL(/\/interaction\/[\w-]+$/);
  await page.getByRole("link", { name: "Create an account" }).click();
  await page.waitForURL(/\/register$/);
  const dark = newEmail("grace.dark");
  const mark = mailMark(tessera);
  await page.getByLabel("Name", { exact: true }).fill("Grace Dark");
  await page.getByLabel("Email", { exact: true }).fill(dark);
  await page.getByLabel("Password", { exact: true }).fill("correct horse battery staple");
  await page.getByRole("button", { name: "Create account" }).click();
  await page.waitForURL(/\/register\/sent$/);
  await page.goto(confirmLinkOf(await mailAfter(tessera, mark, { to: dark, subject: "Confirm your email address" })));
  await page.getByRole("button", { name: "Confirm my email address" }).click();
  await page.waitForURL(/\/account(\?|$)/);
  await page.getByLabel("Add an email address").fill(newEmail("grace.dark.second"));
  await page.getByRole("button", { name: "Add address" }).click();
  await page.waitForLoadState();
  expect(await inPage(page, `getComputedStyle(document.body).backgroundColor`)).toBe("rgb(22, 21, 19)");
  await screenshot(page, "account-dark");
  expect(await watcher.take()).toEqual([]);
});
