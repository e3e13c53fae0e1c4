/**
 * Wallet sign-up and sign-in in Chromium, with an EIP-1193 wallet injected into the page
 * and backed by a test key: the sign-up page, the sign-in button, the whole way to the
 * relying party's code and its claims; without a wallet the button says what is missing.
 * Pages load with no console error and no CSP violation, and are saved at 1280 and 375 px
 * in test-results/screenshots/ for a person to look at.
 */
import type { Page, Request } from "playwright-core";
import { phone, screenshot, startBrowser, type TestBrowser } from "../support/chromium.js";
import { rpOrigin, type ClientMetadata } from "../support/clients.js";
import { injectWallet } from "../support/injected-wallet.js";
import { overflowing, unlabelledInputs } from "../support/page-checks.js";
import { startTestTessera, type TestTessera } from "../support/tessera.js";
import { authorizeUrl, newWallet, tokensFor, walletClient } from "../support/wallet.js";

let tessera: TestTessera;
let browser: TestBrowser;
let client: ClientMetadata;

beforeAll(async () => {
  [tessera, browser] = await Promise.all([startTestTessera(), startBrowser()]);
  client = await walletClient(tessera);
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await tessera?.close();
});

/**
 * The browser's request to the relying party's redirect URI (Chromium follows Tessera's
 * redirect there; the host does not exist, so the request is read, not answered).
 */
const toRelyingParty = (page: Page) => page.waitForRequest((request) => request.url().startsWith(rpOrigin), { timeout: 30_000 });

/** What the relying party learns from the code in its redirect URI. */
async function claimsOf(reached: Promise<Request>): Promise<Record<string, unknown>> {
  const code = new URL((await reached).url()).searchParams.get("code")!;
  const tokens = await tokensFor(tessera, client, code);
  const response = await fetch(`${tessera.issuer}/me`, { headers: { authorization: `Bearer ${tokens.access_token as string}` } });
  return (await response.json()) as Record<string, unknown>;
}

describe("wallet pages in Chromium", () => {
  it("without a wallet, the button says what is missing", async () => {
    for (const [options, name] of [[{}, "wallet-login-1280"], [phone, "wallet-login-375"]] as const) {
      const { page, watcher } = await browser.openPage(options);
      await page.goto(`${tessera.issuer}${authorizeUrl(client)}`);
      await page.getByRole("button", { name: "Sign in with a wallet" }).click();
      await page.getByText("No Ethereum wallet was found in this browser").waitFor();
      await screenshot(page, name);
      expect(await overflowing(page, options === phone ? 375 : 1280)).toEqual([]);
      expect(await watcher.take()).toEqual([]);
    }
  });

  it("signs up on the sign-up page and signs in from the button, with an injected wallet", async () => {
    const wallet = newWallet();
    let sub: unknown;
    {
      const { context, page, watcher } = await browser.openPage({}, (context) => injectWallet(context, wallet));
      await page.goto(`${tessera.issuer}${authorizeUrl(client)}`);
      await page.getByRole("link", { name: "Create one with your wallet" }).click();
      await page.getByRole("heading", { name: "Create your account with a wallet" }).waitFor();
      expect(await unlabelledInputs(page)).toEqual([]);
      await screenshot(page, "wallet-sign-up-1280");
      expect(await watcher.take()).toEqual([]);
      await page.getByLabel("Name").fill("Browser Wallet");
      const reached = toRelyingParty(page);
      await page.getByRole("button", { name: "Sign with your wallet and create the account" }).click();
      const claims = await claimsOf(reached);
      expect(claims.name).toBe("Browser Wallet");
      sub = claims.sub;

      // The same browser is signed in: its account page lists the wallet.
      await page.goto(`${tessera.issuer}/account`);
      await page.getByRole("heading", { name: "Wallets" }).waitFor();
      expect(await page.locator(".wallet-address").allTextContents()).toEqual([wallet.address]);
      await screenshot(page, "wallet-account-1280");
      expect(await watcher.take()).toEqual([]);
      await context.close();
    }
    {
      const { page, watcher } = await browser.openPage(phone, (context) => injectWallet(context, wallet));
      await page.goto(`${tessera.issuer}${authorizeUrl(client)}`);
      const reached = toRelyingParty(page);
      await page.getByRole("button", { name: "Sign in with a wallet" }).click();
      expect((await claimsOf(reached)).sub).toBe(sub);
      expect(await watcher.take()).toEqual([]);
    }
  });

  it("shows the sign-up page and the account panel on a phone", async () => {
    const wallet = newWallet();
    const { page, watcher } = await browser.openPage(phone, (context) => injectWallet(context, wallet));
    await page.goto(`${tessera.issuer}${authorizeUrl(client)}`);
    await page.getByRole("link", { name: "Create one with your wallet" }).click();
    await page.getByRole("heading", { name: "Create your account with a wallet" }).waitFor();
    await screenshot(page, "wallet-sign-up-375");
    expect(await overflowing(page, 375)).toEqual([]);
    await page.getByLabel("Name").fill("Phone Wallet");
    // The relying party's host does not exist: wait until Chromium gives up on it before moving on.
    const failed = page.waitForEvent("requestfailed", { predicate: (request) => request.url().startsWith(rpOrigin), timeout: 30_000 });
    await page.getByRole("button", { name: "Sign with your wallet and create the account" }).click();
    await failed;
    await page.waitForURL((url) => url.protocol === "chrome-error:");
    await page.goto(`${tessera.issuer}/account`);
    await page.getByRole("heading", { name: "Wallets" }).waitFor();
    await screenshot(page, "wallet-account-375");
    expect(await overflowing(page, 375)).toEqual([]);
    expect(await watcher.take()).toEqual([]);
  });
});
