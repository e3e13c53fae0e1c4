/**
 * The account page's panels in a real browser (Debian Chromium through playwright-core):
 * the whole page with an application, an organisation and three sessions, on a desktop, on
 * a 375px phone and in dark mode; a refused name (message next to the field, focus on it);
 * Revoke access, Withdraw and Sign out from their buttons; then the delete-confirmation
 * page (desktop, phone, wrong answer) and the page after deleting. Every page loads with
 * no console error and no CSP violation, every input has a label, nothing sticks out, and
 * each is saved in test-results/screenshots/ for a person to look at.
 */
import type { BrowserContext, BrowserContextOptions, Page } from "playwright-core";
import { interactionPath, type Person } from "../support/browser-session.js";
import { phone, screenshot, startBrowser, type TestBrowser } from "../support/chromium.js";
import { codeClient, registerClient, rpRedirectUri } from "../support/clients.js";
import { startTestTessera, type TestTessera } from "../support/tessera.js";
import { activeElementId, inPage, outsideTheirBox, overflowing, smallTargets, unlabelledInputs } from "../support/page-checks.js";
import { signIn, signUp } from "../support/sign-up.js";

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

/** Layout measurements, taken before asserting so that a failure still leaves its screenshot. */
async function measure(page: Page, width: number) {
  return {
    scrollWidth: await inPage<number>(page, "document.documentElement.scrollWidth"),
    overflow: await overflowing(page, width),
    outside: await outsideTheirBox(page),
    unlabelled: await unlabelledInputs(page),
  };
}
const fits = (width: number) => ({ scrollWidth: width, overflow: [], outside: [], unlabelled: [] });

/** Shared by the tests below, which run in order. */
let person: Person;
let signedIn: Awaited<ReturnType<BrowserContext["storageState"]>> | undefined;

test("the account page with every panel filled (desktop, phone, dark); a refused name", async () => {
  // An account with the demo application, consent to an organisation and two more sessions.
  const signedUp = await signUp(tessera);
  person = signedUp.person;
  const organisation = await tessera.db.prisma.organisation.create({
    data: { slug: `northwind-${Date.now()}`, name: "Northwind Traders Cooperative", requireConsent: true, privacyPolicyUrl: "https://northwind.example/privacy" },
  });
  const shop = await registerClient(tessera, codeClient({ client_name: "Northwind Shop" }), { organisationId: organisation.id, firstParty: true });
  const asked = await signedUp.session.follow(`/auth?${new URLSearchParams({ client_id: shop.client_id, response_type: "code", scope: "openid profile email", redirect_uri: rpRedirectUri, state: "s" })}`);
  const allowed = await signedUp.session.follow(`${interactionPath(asked)}/consent`, { form: { decision: "allow" } });
  expect(allowed.location).toMatch(/\?code=/);
  expect((await signIn(tessera, person.email, person.password)).hop.location).toMatch(/\/demo\/callback\?code=/);

  // This browser signs in on /account itself.
  const { context, page, watcher } = await openPage();
  await page.goto(`${tessera.issuer}/account`);
  await page.waitForURL(/\/interaction\/[\w-]+$/);
  // Each page is let finish loading (its favicon) before leaving it, or the watcher sees the load aborted.
  expect(await watcher.take()).toEqual([]);
  await page.getByLabel("Email", { exact: true }).fill(person.email);
  await page.getByLabel("Password", { exact: true }).fill(person.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  // Back on /account, with the authorization response's `iss` (RFC 9207) in the query.
  await page.waitForURL(/\/account(\?|$)/);
  expect(await page.locator("h1").innerText()).toBe("Your account");
  await screenshot(page, "account-panels");
  const desktop = await measure(page, 1280);
  expect(await watcher.take()).toEqual([]);

  expect(await page.getByRole("heading", { level: 2 }).allInnerTexts()).toEqual([
    "Profile",
    "Email addresses",
    "Password",
    "Wallets",
    "Connected applications",
    "Organisations you share your data with",
    "Active sessions",
    "Recent security activity",
    "Delete your account",
  ]);
  // Newest first: this browser's sign-in, then the earlier ones, in plain words.
  const activity = await page.locator("ul.activity .row-title").allInnerTexts();
  expect(activity[0]).toBe("Signed in with your password (for Your Tessera account)");
  expect(activity).toContain("Allowed Northwind Traders Cooperative to receive your details");
  expect(activity.at(-1)).toBe(`Account created with ${person.email}`);
  expect(await page.locator("ul.activity > li").first().innerText()).toMatch(/Chrome on Linux · IP address 127\.0\.0\.1/);
  expect(await page.getByLabel("Name", { exact: true }).inputValue()).toBe(person.name);
  expect(await page.getByRole("button", { name: "Revoke access for Tessera demo" }).isVisible()).toBe(true);
  expect(await page.getByRole("button", { name: "Withdraw consent for Northwind Traders Cooperative" }).isVisible()).toBe(true);
  expect(await page.getByRole("link", { name: "Privacy policy of Northwind Traders Cooperative" }).getAttribute("href")).toBe("https://northwind.example/privacy");
  const sessions = page.locator("ul.sessions > li");
  expect(await sessions.count()).toBe(3);
  expect(await sessions.nth(0).innerText()).toContain("This browser");
  expect(await sessions.nth(0).getByRole("link", { name: "Sign out of this browser" }).isVisible()).toBe(true);
  expect(await page.locator("ul.sessions button").count()).toBe(2);
  expect(desktop).toEqual(fits(1280));
  signedIn = await context.storageState();

  // A refused name: the message under the field, the input kept and focused.
  await page.getByLabel("Name", { exact: true }).fill("");
  await page.getByRole("button", { name: "Save name" }).click();
  await page.waitForLoadState();
  expect(await page.locator("#name-error").innerText()).toContain("Enter your name.");
  expect(await page.getByLabel("Name", { exact: true }).getAttribute("aria-invalid")).toBe("true");
  expect(await activeElementId(page)).toBe("name");
  expect(await page.title()).toBe("Error: Your account · Tessera");
  await screenshot(page, "account-panels-name-error");
  expect(await watcher.take()).toEqual([]);

  // The phone and dark mode, same account.
  const mobile = await openPage({ ...phone, storageState: signedIn });
  await mobile.page.goto(`${tessera.issuer}/account`);
  await screenshot(mobile.page, "account-panels-mobile");
  const onPhone = { ...(await measure(mobile.page, 375)), small: await smallTargets(mobile.page, 44) };
  expect(await mobile.watcher.take()).toEqual([]);
  const dark = await openPage({ colorScheme: "dark", storageState: signedIn });
  await dark.page.goto(`${tessera.issuer}/account`);
  await screenshot(dark.page, "account-panels-dark");
  expect(await dark.watcher.take()).toEqual([]);
  expect(onPhone).toEqual({ ...fits(375), small: [] });
});

test("Revoke access, Withdraw and Sign out from their buttons", async () => {
  expect(signedIn).toBeDefined();
  const { page, watcher } = await openPage({ storageState: signedIn });
  await page.goto(`${tessera.issuer}/account`);
  expect(await watcher.take()).toEqual([]);
  const notice = page.locator(".notice[role=status]");

  await page.getByRole("button", { name: "Revoke access for Tessera demo" }).click();
  await page.waitForLoadState();
  expect(await notice.innerText()).toBe("Tessera demo can no longer access your account. To use it again, sign in to it and allow it again.");
  expect(await page.locator("ul.applications .row-title").allInnerTexts()).toEqual(["Northwind Shop"]);
  expect(await watcher.take()).toEqual([]);

  await page.getByRole("button", { name: "Withdraw consent for Northwind Traders Cooperative" }).click();
  await page.waitForLoadState();
  expect(await notice.innerText()).toMatch(/^You no longer share your data with Northwind Traders Cooperative\./);
  expect(await watcher.take()).toEqual([]);

  const others = page.locator("ul.sessions button");
  await others.first().click();
  await page.waitForLoadState();
  expect(await notice.innerText()).toBe("That session is signed out. The browser using it has to sign in again.");
  expect(await page.locator("ul.sessions > li").count()).toBe(2);
  await screenshot(page, "account-panels-after-actions");
  expect(await watcher.take()).toEqual([]);
  expect(await measure(page, 1280)).toEqual(fits(1280));
});

test("the delete-confirmation page (desktop, phone, wrong answer) and the page after deleting", async () => {
  expect(signedIn).toBeDefined();
  const mobile = await openPage({ ...phone, storageState: signedIn });
  await mobile.page.goto(`${tessera.issuer}/account/delete`);
  expect(await mobile.page.locator("h1").innerText()).toBe("Delete your account");
  await screenshot(mobile.page, "account-delete-mobile");
  const onPhone = { ...(await measure(mobile.page, 375)), small: await smallTargets(mobile.page, 44) };
  expect(await mobile.watcher.take()).toEqual([]);

  const { page, watcher } = await openPage({ storageState: signedIn });
  await page.goto(`${tessera.issuer}/account`);
  expect(await watcher.take()).toEqual([]);
  await page.getByRole("link", { name: "Delete my account…" }).click();
  await page.waitForURL(/\/account\/delete$/);
  expect(await page.locator("h1").innerText()).toBe("Delete your account");
  expect(await activeElementId(page)).toBe("confirmation");
  expect(await page.locator("#confirmation-hint").innerText()).toBe(`It is ${person.email}.`);
  await screenshot(page, "account-delete");
  const desktop = await measure(page, 1280);
  expect(await watcher.take()).toEqual([]);

  await page.getByLabel("Type your primary email address").fill("not.mine@example.test");
  await page.getByRole("button", { name: "Delete my account" }).click();
  await page.waitForLoadState();
  expect(await page.locator("#confirmation-error").innerText()).toContain(`That is not your primary email address. Type ${person.email} exactly as shown.`);
  expect(await page.getByLabel("Type your primary email address").inputValue()).toBe("not.mine@example.test");
  expect(await page.getByLabel("Type your primary email address").getAttribute("aria-invalid")).toBe("true");
  expect(await activeElementId(page)).toBe("confirmation");
  await screenshot(page, "account-delete-error");
  expect(await watcher.take()).toEqual([]);
  expect(await tessera.db.prisma.email.count({ where: { owned: person.email.toLowerCase() } })).toBe(1);

  // "Keep my account" goes back; the right answer deletes.
  await page.getByRole("link", { name: "Keep my account" }).click();
  await page.waitForURL(/\/account$/);
  expect(await watcher.take()).toEqual([]);
  await page.goto(`${tessera.issuer}/account/delete`);
  await page.getByLabel("Type your primary email address").fill(person.email);
  await page.getByRole("button", { name: "Delete my account" }).click();
  await page.waitForLoadState();
  expect(await page.locator("h1").innerText()).toBe("Your account was deleted");
  await screenshot(page, "account-deleted");
  const deleted = await measure(page, 1280);
  await page.setViewportSize({ width: 375, height: 667 });
  await screenshot(page, "account-deleted-mobile");
  const deletedOnPhone = await measure(page, 375);
  expect(await watcher.take()).toEqual([]);
  expect(await tessera.db.prisma.email.count({ where: { owned: person.email.toLowerCase() } })).toBe(0);

  await page.goto(`${tessera.issuer}/account`);
  await page.waitForURL(/\/interaction\/[\w-]+$/);
  expect(await page.locator("h1").innerText()).toBe("Sign in");

  expect({ desktop, onPhone, deleted, deletedOnPhone }).toEqual({ desktop: fits(1280), onPhone: { ...fits(375), small: [] }, deleted: fits(1280), deletedOnPhone: fits(375) });
});
