/**
 * The password form on /account in Chromium, at 1280 and 375 px: labelled fields, a wrong
 * current password flagged next to its field and focused, and a change that lands back on
 * /account (post/redirect/get) with its result. Screenshots: account-password-*.png.
 */
import { desktop, phone, screenshot, startBrowser, type TestBrowser } from "../support/chromium.js";
import { activeElementId, overflowing, unlabelledInputs } from "../support/page-checks.js";
import { signUp } from "../support/sign-up.js";
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

test.each([
  ["desktop", desktop, 1280],
  ["phone", phone, 375],
] as const)("change the password with the current one (%s)", async (name, options, width) => {
  const { person } = await signUp(tessera);
  const { page, watcher } = await browser.openPage(options);
  await page.goto(`${tessera.issuer}/account`);
  await page.waitForURL(/\/interaction\/[\w-]+$/);
  await page.getByLabel("Email", { exact: true }).fill(person.email);
  await page.getByLabel("Password", { exact: true }).fill(person.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.waitForURL(/\/account(\?|$)/);
  expect(await unlabelledInputs(page)).toEqual([]);
  expect(await watcher.take()).toEqual([]);

  await page.getByLabel("Current password").fill("not my password");
  await page.getByLabel("New password").fill("a brand new passphrase 42");
  await page.getByRole("button", { name: "Change password" }).click();
  await page.waitForLoadState();
  expect(await page.locator("#current_password-error").innerText()).toContain("That is not your current password.");
  expect(await page.getByLabel("Current password").getAttribute("aria-invalid")).toBe("true");
  expect(await activeElementId(page)).toBe("current_password");
  expect(await page.getByLabel("Current password").inputValue()).toBe("");
  expect(await overflowing(page, width)).toEqual([]);
  await page.locator("#password-heading").scrollIntoViewIfNeeded();
  await screenshot(page, `account-password-error-${name}`);
  expect(await watcher.take()).toEqual([]);

  await page.getByLabel("Current password").fill(person.password);
  await page.getByLabel("New password").fill("a brand new passphrase 42");
  await page.getByRole("button", { name: "Change password" }).click();
  await page.waitForURL(`${tessera.issuer}/account`);
  expect(await page.locator(".notice[role=status]").innerText()).toMatch(/^Your password is changed\./);
  expect(await overflowing(page, width)).toEqual([]);
  await screenshot(page, `account-password-changed-${name}`);
  expect(await watcher.take()).toEqual([]);
});
