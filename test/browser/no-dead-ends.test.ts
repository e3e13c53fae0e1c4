/**
 * No dead ends, in a real browser (Debian Chromium) and over plain HTTP:
 *   - the home page says what the service is and offers sign-in, or the account and
 *     sign-out to someone signed in;
 *   - signing out ends on "You are signed out", with "Sign in again";
 *   - a sign-in page met again after its sign-in finished (the back button after consent)
 *     says so and offers to start again at the application or go back to it;
 *   - a confirmation link that is incomplete or unknown offers a way on.
 * Each page at 1280 and 375 px, with no console error or CSP violation; screenshots in
 * test-results/screenshots/dead-ends-*.png.
 */
import type { Page } from "playwright-core";
import { BrowserSession, interactionPath } from "../support/browser-session.js";
import { desktop, phone, screenshot, startBrowser, type TestBrowser } from "../support/chromium.js";
import { codeClient, registerClient, rpOrigin, rpRedirectUri } from "../support/clients.js";
import { h1Of } from "../support/page-text.js";
import { overflowing } from "../support/page-checks.js";
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

const variants = [
  ["desktop", desktop, 1280],
  ["phone", phone, 375],
] as const;

const partner = { client_uri: "https://partner.example/", initiate_login_uri: "https://partner.example/login" };

function authorizeUrl(clientId: string): string {
  return `/auth?${new URLSearchParams({ client_id: clientId, response_type: "code", scope: "openid profile email", redirect_uri: rpRedirectUri, state: "st" })}`;
}

/** Waits until the browser has committed a page at the relying party (see sign-in-steps.test.ts). */
async function landedOnRp(page: Page): Promise<void> {
  const atRp = (url: string) => url.startsWith(`${rpOrigin}/`);
  if (!atRp(page.url())) await page.waitForEvent("framenavigated", { predicate: (frame) => frame === page.mainFrame() && atRp(frame.url()) });
  await page.waitForLoadState();
}

async function signInOnPage(page: Page, email: string, password: string) {
  await page.getByLabel("Email", { exact: true }).fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
}

describe.each(variants)("on a %s", (name, options, width) => {
  test("home page signed out and in; signing out ends on 'You are signed out' with a way to sign in again", async () => {
    const { person } = await signUp(tessera);
    const { page, watcher } = await browser.openPage(options);

    await page.goto(`${tessera.issuer}/`);
    expect(await page.locator("h1").innerText()).toBe("Tessera");
    expect(await page.locator("main").innerText()).toContain("Tessera is the sign-in service for the sites that use it");
    expect(await overflowing(page, width)).toEqual([]);
    await screenshot(page, `dead-ends-home-${name}`);
    expect(await watcher.take()).toEqual([]);

    await page.getByRole("link", { name: "Sign in or create an account" }).click();
    await page.waitForURL(/\/interaction\/[\w-]+$/);
    expect(await page.locator("h1").innerText()).toBe("Sign in");
    await signInOnPage(page, person.email, person.password);
    await page.waitForURL(/\/account(\?|$)/);
    expect(await watcher.take()).toEqual([]);

    await page.goto(`${tessera.issuer}/`);
    expect((await page.locator("main").innerText()).replace(/\s+/g, " ")).toContain(`Signed in as ${person.name} (${person.email.toLowerCase()})`);
    await screenshot(page, `dead-ends-home-signed-in-${name}`);
    expect(await page.getByRole("link", { name: "Your account" }).getAttribute("href")).toBe("/account");
    await page.getByRole("link", { name: "Sign out" }).click();
    await page.getByRole("button", { name: "Yes, sign me out" }).click();
    await page.waitForLoadState();
    expect(await page.locator("h1").innerText()).toBe("You are signed out");
    expect(await page.locator("main").innerText()).toContain("You are signed out of Tessera on this browser.");
    expect(await overflowing(page, width)).toEqual([]);
    await screenshot(page, `dead-ends-signed-out-${name}`);
    expect(await watcher.take()).toEqual([]);

    await page.getByRole("link", { name: "Sign in again" }).click();
    await page.waitForURL(/\/interaction\/[\w-]+$/);
    expect(await page.locator("h1").innerText()).toBe("Sign in");
    expect(await watcher.take()).toEqual([]);
  });

  test("the back button after consent: the expired page offers to start again at the application or go back to it", async () => {
    const { person } = await signUp(tessera);
    const client = await registerClient(tessera, codeClient({ client_name: "Partner Portal", ...partner }));
    const { page, watcher } = await browser.openPage(options, (context) =>
      context.route(`${rpOrigin}/**`, (route) => route.fulfill({ status: 200, contentType: "text/html; charset=utf-8", body: '<!DOCTYPE html><html lang="en"><head><title>RP</title></head><body><h1>RP</h1></body></html>' })),
    );
    await page.goto(`${tessera.issuer}${authorizeUrl(client.client_id)}`);
    await page.waitForURL(/\/interaction\/[\w-]+$/);
    await signInOnPage(page, person.email, person.password);
    await page.waitForURL(/\/interaction\/[\w-]+$/);
    expect(await page.locator("h1").innerText()).toBe("Allow Partner Portal to access your account?");
    expect(await watcher.take()).toEqual([]);
    await page.getByRole("button", { name: "Allow" }).click();
    await landedOnRp(page);

    await page.goBack();
    await page.waitForLoadState();
    expect(await page.locator("h1").innerText()).toBe("This sign-in has expired");
    expect(await page.locator("main").innerText()).toContain("the sign-in it belonged to has already finished or has expired");
    expect(await page.getByRole("link", { name: "Sign in to Partner Portal again" }).getAttribute("href")).toBe(
      `https://partner.example/login?iss=${encodeURIComponent(tessera.issuer)}`,
    );
    expect(await page.getByRole("link", { name: "Go back to Partner Portal" }).getAttribute("href")).toBe("https://partner.example/");
    expect(await overflowing(page, width)).toEqual([]);
    await screenshot(page, `dead-ends-expired-${name}`);
    expect(await watcher.take()).toEqual([]);
  });

  test("an incomplete or unknown confirmation link offers to sign in or ask for a new reset link", async () => {
    const { page, watcher } = await browser.openPage(options);
    for (const key of ["abc", "x".repeat(43)]) {
      await page.goto(`${tessera.issuer}/confirm/${key}`);
      expect(await page.getByRole("link", { name: "Sign in" }).getAttribute("href")).toBe("/account");
      expect(await page.getByRole("link", { name: "Ask for a new reset link" }).getAttribute("href")).toBe("/password/forgot");
      expect(await overflowing(page, width)).toEqual([]);
      await screenshot(page, `dead-ends-link-${key.length}-${name}`);
      expect(await watcher.take()).toEqual([]);
    }
  });
});

describe("over HTTP", () => {
  test("the provider's resume URL of a finished sign-in names its application and the way back", async () => {
    const { person } = await signUp(tessera);
    const client = await registerClient(tessera, codeClient({ client_name: "Partner Portal", ...partner }));
    const session = new BrowserSession(tessera.issuer);
    const login = await session.follow(authorizeUrl(client.client_id));
    const consent = await session.follow(`${interactionPath(login)}/login`, { form: { email: person.email, password: person.password } });
    const uid = interactionPath(consent).split("/").pop()!;
    const done = await session.follow(`${interactionPath(consent)}/consent`, { form: { decision: "allow" } });
    expect(new URL(done.location!).searchParams.get("code")).toBeTruthy();

    for (const path of [`/auth/${uid}`, `/interaction/${uid}`, `/interaction/${uid}/consent`]) {
      const again = path.endsWith("consent") ? await session.request(path, { form: { decision: "allow" } }) : await session.request(path);
      expect(again.status).toBe(400);
      expect(h1Of(again.body)).toBe("This sign-in has expired");
      expect(again.body).toContain('href="https://partner.example/"');
      expect(again.body).toContain("Sign in to Partner Portal again");
    }
  });

  test("a sign-in page nobody knows says it expired, with the home page only", async () => {
    const hop = await new BrowserSession(tessera.issuer).request("/interaction/not-a-sign-in");
    expect(hop.status).toBe(400);
    expect(h1Of(hop.body)).toBe("This sign-in has expired");
    expect(hop.body).not.toContain('class="button');
    expect(hop.body).toContain('href="/"');
  });

  test("the account pages' sign-out names no redirect, so it ends on 'You are signed out'", async () => {
    const { session } = await signUp(tessera);
    const account = await session.follow("/account");
    const signOut = /href="(\/session\/end\?[^"]+)"/.exec(account.body)![1]!.replace(/&amp;/g, "&");
    expect(signOut).not.toContain("post_logout_redirect_uri");
    const confirm = await session.follow(signOut);
    const form = /<form[^>]*action="([^"]+)"[^>]*>([\s\S]*?)<\/form>/.exec(confirm.body)!;
    const fields = Object.fromEntries([...form[2]!.matchAll(/name="([^"]+)" value="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));
    const done = await session.follow(form[1]!.replace(/&amp;/g, "&"), { form: { ...fields, logout: "yes" } });
    expect(h1Of(done.body)).toBe("You are signed out");
    expect((await session.request("/account")).status).toBe(303);
  });
});
