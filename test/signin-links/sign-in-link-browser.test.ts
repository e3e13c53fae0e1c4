/**
 * A sign-in link in Chromium, steps 3 to 7 of the flow, as a person meets them: the link's
 * page and its Continue button; the first time, the address form (pre-filled, editable), the
 * "check your email" page, the mailed link (read from the real SMTP server) and its confirm
 * button; "Confirm your details" with the name editable and the terms; and the landing on the
 * client's page, signed in, after the client's own code flow through its initiate_login_uri
 * (an https site of the test's, see test/support/https-relying-party.ts). Then the same
 * person again: straight to the details, and on. Every page is checked for console errors,
 * CSP violations and horizontal scroll at 1280 and 375 px, and saved as
 * test-results/screenshots/sign-in-link-*.png for a person to look at.
 */
import type { Page } from "playwright-core";
import { screenshot, startBrowser, type OpenedPage, type TestBrowser } from "../support/chromium.js";
import { startHttpsRelyingParty, type HttpsRelyingParty } from "../support/https-relying-party.js";
import { confirmLinkOf, mailAfter, mailMark } from "../support/mailbox.js";
import { overflowing, unlabelledInputs } from "../support/page-checks.js";
import { linkClient, linkFor } from "../support/sign-in-links.js";
import { startTestTessera, type TestTessera } from "../support/tessera.js";
import type { ClientMetadata } from "../support/clients.js";

let tessera: TestTessera;
let rp: HttpsRelyingParty;
let browser: TestBrowser;
let client: ClientMetadata;
const terms = { version: "2026-12", url: "https://tessera.example.test/terms/2026-12" };

beforeAll(async () => {
  tessera = await startTestTessera();
  rp = await startHttpsRelyingParty(tessera);
  browser = await startBrowser({ args: [rp.chromiumArg] });
  client = await linkClient(tessera, {
    initiateLoginUri: `${rp.origin}/login`,
    redirectUri: `${rp.origin}/cb`,
    targets: [`${rp.origin}/billing/`],
    policy: { firstParty: true },
  });
  await rp.use(client);
  await tessera.db.prisma.termsVersion.create({ data: { ...terms, publishedAt: new Date() } });
});
afterAll(async () => {
  await browser?.close();
  await rp?.close();
  await tessera?.close();
});

/** Looks at the page at 1280 px and at 375 px: no problem, no scroll sideways, every input labelled; saves both. */
async function lookAt(opened: OpenedPage, name: string): Promise<void> {
  const { page, watcher } = opened;
  for (const width of [1280, 375]) {
    await page.setViewportSize({ width, height: width === 1280 ? 800 : 667 });
    expect(await overflowing(page, width)).toEqual([]);
    expect(await unlabelledInputs(page)).toEqual([]);
    await screenshot(page, `sign-in-link-${name}-${width}`);
  }
  await page.setViewportSize({ width: 1280, height: 800 });
  expect(await watcher.take()).toEqual([]);
}

const heading = (page: Page) => page.locator("h1").innerText();

test("the first time: link, address confirmed by mail, details and terms, then the client's page, signed in; the second time straight to the details", async () => {
  const email = `chromium.${Date.now()}@example.test`;
  const target = `${rp.origin}/billing/plans`;
  const opened = await browser.openPage();
  const { page } = opened;

  await page.goto(await linkFor(tessera, client, email, target, "Ada Lovelace"));
  expect(await heading(page)).toBe("Sign in");
  expect(await page.locator("main").innerText()).toContain(`Billing sent you here to sign in as ${email}.`);
  await lookAt(opened, "link");

  await page.getByRole("button", { name: "Continue" }).click();
  expect(await heading(page)).toBe("Confirm your email address");
  expect(await page.getByLabel("Email address").inputValue()).toBe(email);
  await lookAt(opened, "email");

  const mark = mailMark(tessera);
  await page.getByRole("button", { name: "Send me the link" }).click();
  expect(await heading(page)).toBe("Check your email");
  await lookAt(opened, "check-inbox");

  await page.goto(confirmLinkOf(await mailAfter(tessera, mark, { to: email, subject: "Confirm your email address" })));
  await lookAt(opened, "confirm");
  await page.getByRole("button", { name: "Confirm my email address" }).click();
  expect(await heading(page)).toBe("Confirm your details");
  expect(await page.getByLabel("Name").inputValue()).toBe("Ada Lovelace");
  await lookAt(opened, "details");

  await page.getByRole("button", { name: "Continue to Billing" }).click();
  expect(await heading(page)).toBe("Confirm your details");
  expect(await page.locator("#accept-error").innerText()).toContain("Tick the box");
  await lookAt(opened, "details-refused");

  await page.getByLabel("Name").fill("Ada King");
  await page.getByLabel(/I accept the/).check();
  await page.getByRole("button", { name: "Continue to Billing" }).click();
  await page.waitForURL(target);
  expect(await page.locator("#who").innerText()).toBe(`Signed in as Ada King (${email})`);
  await lookAt(opened, "landed");

  // Again, in a new browser: a returning person confirms the details and lands.
  const again = await browser.openPage();
  await again.page.goto(await linkFor(tessera, client, email, `${rp.origin}/billing/invoices`));
  await again.page.getByRole("button", { name: "Continue" }).click();
  expect(await heading(again.page)).toBe("Confirm your details");
  expect(await again.page.getByLabel(/I accept the/).count()).toBe(0);
  await lookAt(again, "details-returning");
  await again.page.getByRole("button", { name: "Continue to Billing" }).click();
  await again.page.waitForURL(`${rp.origin}/billing/invoices`);
  expect(await again.page.locator("#who").innerText()).toBe(`Signed in as Ada King (${email})`);
});
