/**
 * Tessera's pages in a real browser (Debian Chromium through playwright-core): the demo
 * journey from the home page through sign-up, a form error, consent and the callback; the
 * labels and the error page's layout; a phone-sized viewport. Every page must load with
 * no console error and no CSP violation, and each is saved as a full-page screenshot in
 * test-results/screenshots/ for a person to look at.
 */
import type { BrowserContextOptions, Page } from "playwright-core";
import { linkFromMail } from "../support/browser-session.js";
import { inPage } from "../support/page-checks.js";
import { phone, screenshot, startBrowser, type TestBrowser } from "../support/chromium.js";
import { demoAuthorizeUrl } from "../support/demo.js";
import { startTestTessera, type TestTessera } from "../support/tessera.js";

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
function newEmail(): string {
  people += 1;
  return `grace.${Date.now()}.${people}@example.test`;
}

/** Asserts the page uses Tessera's layout: brand header, the card, the stylesheet applied. */
async function expectTesseraLayout(page: Page) {
  expect(await page.locator("header.brand").innerText()).toContain("Tessera");
  expect(await page.locator("main#main.card").count()).toBe(1);
  expect(await page.locator('link[rel="stylesheet"][href="/assets/tessera.css"]').count()).toBe(1);
  // The stylesheet really applied: the card is a bordered white box on the beige page.
  expect(await inPage(page, `getComputedStyle(document.body).backgroundColor`)).toBe("rgb(244, 241, 236)");
  expect(await inPage(page, `getComputedStyle(document.querySelector("main")).backgroundColor`)).toBe("rgb(255, 255, 255)");
}

test("the demo journey: home, sign in, create an account with an error, consent, callback", async () => {
  const { page, watcher } = await openPage();

  await page.goto(`${tessera.issuer}/`);
  expect(await page.locator("h1").innerText()).toBe("Tessera");
  await screenshot(page, "home");
  expect(await watcher.take()).toEqual([]);

  // Home → the demo client's authorization request → the login page.
  await page.getByRole("link", { name: "Sign in to the demo client" }).click();
  await page.waitForURL(/\/interaction\/[\w-]+$/);
  expect(await page.locator("h1").innerText()).toBe("Sign in");
  await expectTesseraLayout(page);
  await screenshot(page, "login");
  expect(await watcher.take()).toEqual([]);

  // Login → "Create an account".
  await page.getByRole("link", { name: "Create an account" }).click();
  await page.waitForURL(/\/interaction\/[\w-]+\/register$/);
  expect(await page.locator("h1").innerText()).toBe("Create your account");
  expect(await inPage(page, "document.activeElement.id")).toBe("name");

  // Submitted with everything empty: the first field is flagged and focused.
  await page.getByRole("button", { name: "Create account" }).click();
  await page.waitForLoadState();
  expect(await page.getByLabel("Name", { exact: true }).getAttribute("aria-invalid")).toBe("true");
  expect(await page.locator("#name-error").innerText()).toContain("Enter your name.");
  expect(await inPage(page, "document.activeElement.id")).toBe("name");
  await screenshot(page, "register-empty");
  expect(await watcher.take()).toEqual([]);

  // Name and email given, a short password: the message sits under the password field.
  const email = newEmail();
  await page.getByLabel("Name", { exact: true }).fill("Grace Browser");
  await page.getByLabel("Email", { exact: true }).fill(email);
  await page.getByLabel("Password", { exact: true }).fill("short");
  await page.getByRole("button", { name: "Create account" }).click();
  await page.waitForLoadState();
  const password = page.getByLabel("Password", { exact: true });
  const error = page.locator("#password-error");
  expect(await password.getAttribute("aria-invalid")).toBe("true");
  expect((await password.getAttribute("aria-describedby"))!.split(/\s+/)).toContain("password-error");
  expect(await error.isVisible()).toBe(true);
  expect(await error.innerText()).toContain("Use at least 8 characters.");
  // "Next to the field": directly below the input, inside the same field block.
  const [inputBox, errorBox] = [await password.boundingBox(), await error.boundingBox()];
  expect(errorBox!.y).toBeGreaterThanOrEqual(inputBox!.y + inputBox!.height);
  expect(errorBox!.y - (inputBox!.y + inputBox!.height)).toBeLessThan(24);
  expect(await inPage(page, `document.querySelector("#password-error").closest(".field").contains(document.querySelector("#password"))`)).toBe(true);
  // Keyboard focus lands on the first invalid field; what was typed is kept (but not the password).
  expect(await inPage(page, "document.activeElement.id")).toBe("password");
  expect(await page.getByLabel("Name", { exact: true }).inputValue()).toBe("Grace Browser");
  expect(await page.getByLabel("Email", { exact: true }).inputValue()).toBe(email);
  expect(await password.inputValue()).toBe("");
  expect(await page.locator('[aria-invalid="true"]').count()).toBe(1);
  await screenshot(page, "register-with-errors");
  expect(await watcher.take()).toEqual([]);

  // Fixed → "Check your email": the mail's link, opened in this browser, creates the
  // account and continues the sign-in to consent.
  await password.fill("correct horse battery staple");
  await page.getByRole("button", { name: "Create account" }).click();
  await page.waitForURL(/\/interaction\/[\w-]+\/register\/sent$/);
  expect(await page.locator("h1").innerText()).toBe("Check your email");
  expect(await page.locator("main").innerText()).toContain(email);
  expect(await page.getByRole("link", { name: "Back to sign in" }).isVisible()).toBe(true);
  await screenshot(page, "check-email");
  expect(await watcher.take()).toEqual([]);
  await page.goto(await linkFromMail(tessera.mailbox, email, /confirm/i));
  await screenshot(page, "confirm-email");
  await page.getByRole("button", { name: "Confirm my email address" }).click();
  await page.waitForURL(/\/interaction\/[\w-]+$/);
  expect(await page.locator("h1").innerText()).toBe("Allow Tessera demo to access your account?");
  expect(await page.locator("main").innerText()).toContain("Tessera demo would like access to:");
  expect(await page.getByRole("button", { name: "Allow" }).isVisible()).toBe(true);
  expect(await page.getByRole("button", { name: "Deny" }).isVisible()).toBe(true);
  await expectTesseraLayout(page);
  await screenshot(page, "consent");
  expect(await watcher.take()).toEqual([]);

  // Allow → the demo client's callback with the code and the httpie command.
  await page.getByRole("button", { name: "Allow" }).click();
  await page.waitForURL(/\/demo\/callback\?/);
  const code = new URL(page.url()).searchParams.get("code")!;
  expect(code).toMatch(/^[\w-]+$/);
  expect(await page.locator("#code").innerText()).toBe(code);
  const command = page.locator("#token-command");
  expect(await command.isVisible()).toBe(true);
  const port = new URL(tessera.issuer).port;
  expect(await command.innerText()).toBe(
    `http -f -a demo:demo-secret POST :${port}/token grant_type=authorization_code code=${code} redirect_uri=${tessera.issuer}/demo/callback`,
  );
  expect(await page.locator("main").innerText()).toContain(`http :${port}/me 'Authorization:Bearer ACCESS_TOKEN'`);
  await expectTesseraLayout(page);
  await screenshot(page, "callback");
  expect(await watcher.take()).toEqual([]);
});

test("every input on the login page has a label", async () => {
  const { page, watcher } = await openPage();
  await page.goto(`${tessera.issuer}${demoAuthorizeUrl(tessera)}`);
  await page.waitForURL(/\/interaction\/[\w-]+$/);
  expect(await page.getByLabel("Email", { exact: true }).getAttribute("type")).toBe("email");
  expect(await page.getByLabel("Password", { exact: true }).getAttribute("type")).toBe("password");
  const unlabelled = await inPage<string[]>(
    page,
    `[...document.querySelectorAll("input, select, textarea")]
      .filter((el) => el.type !== "hidden" && el.labels.length === 0 && !el.getAttribute("aria-label"))
      .map((el) => el.outerHTML)`,
  );
  expect(unlabelled).toEqual([]);
  // Sign-in starts on the email field.
  expect(await inPage(page, "document.activeElement.id")).toBe("email");
  expect(await watcher.take()).toEqual([]);
});

test("an unknown client gets an error page in Tessera's layout", async () => {
  const { page, watcher } = await openPage();
  const response = await page.goto(`${tessera.issuer}${demoAuthorizeUrl(tessera, { client_id: "nobody" })}`);
  expect(response!.status()).toBe(400);
  expect(page.url()).toMatch(new RegExp(`^${tessera.issuer}/auth\\?`));
  await expectTesseraLayout(page);
  expect(await page.locator("h1").innerText()).toBe("Sign-in could not continue");
  expect(await page.locator(".lead").innerText()).toContain("Tessera does not know the application");
  await screenshot(page, "error-unknown-client");
  await page.getByText("Details for developers").click();
  expect(await page.locator("details.technical").innerText()).toContain("invalid_client");
  await screenshot(page, "error-unknown-client-details");
  expect(await watcher.take()).toEqual([]);
});

test("the login page fits a 375px-wide phone", async () => {
  const { page, watcher } = await openPage(phone);
  await page.goto(`${tessera.issuer}${demoAuthorizeUrl(tessera)}`);
  await page.waitForURL(/\/interaction\/[\w-]+$/);
  expect(await inPage(page, "document.documentElement.scrollWidth")).toBeLessThanOrEqual(375);
  const button = await page.getByRole("button", { name: "Sign in", exact: true }).boundingBox();
  expect(button!.height).toBeGreaterThanOrEqual(44); // a comfortable touch target
  await screenshot(page, "login-mobile");
  expect(await watcher.take()).toEqual([]);
});

test("the callback page fits a phone, and its fragment view runs under the CSP", async () => {
  const { page, watcher } = await openPage(phone);
  const code = "x".repeat(22) + "-" + "Y".repeat(20);
  await page.goto(`${tessera.issuer}/demo/callback?code=${code}&state=demo`);
  expect(await inPage(page, "document.documentElement.scrollWidth")).toBeLessThanOrEqual(375);
  await screenshot(page, "callback-mobile");
  expect(await watcher.take()).toEqual([]);

  // Implicit and hybrid responses arrive in the fragment; /assets/show-fragment.js prints them.
  await page.goto(`${tessera.issuer}/demo/callback#id_token=eyJ.a.b&state=demo`);
  expect(await page.locator("#fragment").innerText()).toBe("id_token=eyJ.a.b\nstate=demo");
  await screenshot(page, "callback-fragment");
  expect(await watcher.take()).toEqual([]);
});

test("the login page in dark mode", async () => {
  const { page, watcher } = await openPage({ colorScheme: "dark" });
  await page.goto(`${tessera.issuer}${demoAuthorizeUrl(tessera)}`);
  await page.waitForURL(/\/interaction\/[\w-]+$/);
  expect(await inPage(page, `getComputedStyle(document.body).backgroundColor`)).toBe("rgb(22, 21, 19)");
  await screenshot(page, "login-dark");
  expect(await watcher.take()).toEqual([]);
});

test("the watcher itself sees CSP violations and console errors", async () => {
  const { page, watcher } = await openPage();
  await page.goto(`${tessera.issuer}/demo/callback?code=abc`);
  await inPage(page, `(() => {
    const script = document.createElement("script");
    script.textContent = "window.inlineRan = true";
    document.head.append(script);
    console.error("something broke");
  })()`);
  await page.waitForTimeout(200);
  const problems = await watcher.take();
  expect(await inPage(page, "window.inlineRan === true")).toBe(false);
  expect(problems).toEqual(expect.arrayContaining([expect.stringMatching(/^\[csp\] .*script-src/), expect.stringContaining("something broke")]));
});
