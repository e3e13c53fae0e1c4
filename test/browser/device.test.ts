/**
 * The device flow's pages as a person meets them in Chromium: a labelled code field, the
 * error next to it, then the confirmation showing the code the device displays.
 */
import { inPage } from "../support/page-checks.js";
import { screenshot, startBrowser, type TestBrowser } from "../support/chromium.js";
import { registerClient, uniqueClientId } from "../support/clients.js";
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

test("enter the code (a wrong one first), then confirm the device", async () => {
  const client = await registerClient(tessera, {
    client_id: uniqueClientId("tv"),
    client_name: "Living-room TV",
    token_endpoint_auth_method: "none",
    grant_types: ["urn:ietf:params:oauth:grant-type:device_code"],
    response_types: [],
  });
  const response = await fetch(`${tessera.issuer}/device/auth`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ client_id: client.client_id, scope: "openid" }),
  });
  const device = (await response.json()) as { user_code: string; verification_uri: string };

  const { context, page, watcher } = await browser.openPage();
  await page.goto(device.verification_uri);
  expect(await page.locator("h1").innerText()).toBe("Connect a device");
  const code = page.getByLabel("Code");
  expect(await inPage(page, "document.activeElement?.id")).toBe("user_code");
  await screenshot(page, "device-input");

  await code.fill("WRONG-CODE");
  await page.getByRole("button", { name: "Continue" }).click();
  await page.waitForLoadState();
  expect(await page.getByLabel("Code").getAttribute("aria-invalid")).toBe("true");
  expect(await page.locator("#user_code-error").innerText()).toContain("That code is not right");
  await screenshot(page, "device-input-error");

  await page.getByLabel("Code").fill(device.user_code);
  await page.getByRole("button", { name: "Continue" }).click();
  await page.waitForLoadState();
  expect(await page.locator("h1").innerText()).toBe("Confirm the device");
  expect(await page.locator(".user-code").innerText()).toBe(device.user_code);
  expect(await page.locator("main").innerText()).toContain("Living-room TV");
  await screenshot(page, "device-confirm");
  expect(await watcher.take()).toEqual([]);
  await context.close();
});
