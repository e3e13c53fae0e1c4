/**
 * The operator's brand (BRAND_* settings) on Tessera's pages and mails: its name in every
 * header and title, its logo, its colour through a stylesheet served from a route (no
 * inline style), its help link; a client's own logo (set with `client create --logo-uri`)
 * on that client's consent page; a malformed setting stops start-up naming it. Login and
 * consent are screenshotted at desktop and phone width in test-results/screenshots/.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { Page } from "playwright-core";
import { openAccount } from "../support/account-page.js";
import { BrowserSession, newPerson } from "../support/browser-session.js";
import { operatorCli } from "../support/cli.js";
import { phone, screenshot, startBrowser, type TestBrowser } from "../support/chromium.js";
import { rpOrigin, rpRedirectUri } from "../support/clients.js";
import { demoAuthorizeUrl } from "../support/demo.js";
import { mailAfter, mailMark } from "../support/mailbox.js";
import { inPage, overflowing } from "../support/page-checks.js";
import { textOf } from "../support/page-text.js";
import { signUp } from "../support/sign-up.js";
import { startTestTessera, type TestTessera } from "../support/tessera.js";

const timeout = 300_000;
const brandLogo = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><path d="M16 2 29 9v14l-13 7-13-7V9z" fill="#7a1f5c"/><path d="M11 22 16 9l5 13h-3l-2-5-2 5z" fill="#fff"/></svg>`;
const clientLogo = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 48 48"><circle cx="24" cy="24" r="22" fill="#d9730d"/><path d="M14 30h20v4H14zM18 14h12l-2 12h-8z" fill="#fff"/></svg>`;
const clientLogoUri = `${rpOrigin}/logo.svg`;

let tessera: TestTessera;
let browser: TestBrowser;
let dir: string;

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), "tessera-brand-"));
  await fs.writeFile(path.join(dir, "acme.svg"), brandLogo);
  [tessera, browser] = await Promise.all([
    startTestTessera({
      env: {
        BRAND_NAME: "Acme ID",
        BRAND_PRIMARY_COLOR: "#7A1F5C",
        BRAND_LOGO: path.join(dir, "acme.svg"),
        BRAND_SUPPORT_URL: "https://help.acme.example/",
      },
    }),
    startBrowser(),
  ]);
}, timeout);
afterAll(async () => {
  await browser?.close();
  await tessera?.close();
  await fs.rm(dir, { recursive: true, force: true });
});

/** The brand a person sees in a page's HTML: title, header, stylesheet, logo, help link. */
function expectBrandedPage(html: string, title: string): void {
  expect(html).toContain(`<title>${title} · Acme ID</title>`);
  expect(html).toMatch(/<header[^>]*aria-label="Acme ID"|class="brand-name">Acme ID</);
  expect(html).toMatch(/<link rel="stylesheet" href="\/brand\/style\.css\?v=[\w-]+">/);
  expect(html).toMatch(/<img class="brand-logo" src="\/brand\/logo\?v=[\w-]+" alt="">/);
  expect(html).toContain(`<a href="https://help.acme.example/">Help with Acme ID</a>`);
  expect(html).not.toMatch(/style="|<style/);
  // The demo client is called "Tessera demo"; nothing else names Tessera.
  expect(textOf(html)).not.toMatch(/Tessera(?! demo)/);
}

test("the login page carries the brand; its stylesheet and logo are served from Tessera's routes", async () => {
  const session = new BrowserSession(tessera.issuer);
  const login = await session.follow(demoAuthorizeUrl(tessera));
  expectBrandedPage(login.body, "Sign in");

  const styleUrl = /href="(\/brand\/style\.css\?v=[\w-]+)"/.exec(login.body)![1]!;
  const style = await fetch(`${tessera.issuer}${styleUrl}`);
  expect(style.headers.get("content-type")).toBe("text/css; charset=utf-8");
  const css = await style.text();
  expect(css).toMatch(/^:root \{ --accent: #7a1f5c;/m);
  // In dark mode a lighter shade of it, readable on the dark card.
  expect(css).toMatch(/prefers-color-scheme: dark[\s\S]*--accent: #(?!7a1f5c)[0-9a-f]{6}/);

  const logoUrl = /<img class="brand-logo" src="([^"]+)"/.exec(login.body)![1]!;
  const logo = await fetch(`${tessera.issuer}${logoUrl}`);
  expect(logo.headers.get("content-type")).toBe("image/svg+xml");
  expect(await logo.text()).toBe(brandLogo);
}, timeout);

test("the account page and the mails carry the brand", async () => {
  const mark = mailMark(tessera);
  const { session, person } = await signUp(tessera);
  const account = await openAccount(session);
  expectBrandedPage(account.body, "Your account");

  const mail = await mailAfter(tessera, mark, { to: person.email, subject: "Confirm your email address" });
  expect(mail.text).toContain("finish creating your Acme ID account");
  expect(mail.text).toContain("Sent by Acme ID, the sign-in service.");
  expect(mail.text).toContain("Help: https://help.acme.example/");
  expect(mail.text).not.toContain("Tessera");
  expect(mail.html).toContain(`<img src="${tessera.issuer}/brand/logo"`);
  expect(mail.html).toContain("background-color:#7a1f5c;");
  expect(mail.html).toContain(`<a href="https://help.acme.example/"`);
  expect(mail.html).not.toContain("Tessera");
  expect(mail.html).not.toContain("#2f5d50");
}, timeout);

test("a client's logo set on the command line shows on its consent page; login and consent at desktop and phone width", async () => {
  const { person } = await signUp(tessera, newPerson());
  const env = { NODE_ENV: "test", DATA_DIR: tessera.config.dataDir, KEYS_DIR: tessera.config.keysDir, DATABASE_URL: tessera.target.kind === "postgres" ? tessera.target.url : undefined };
  // Through the running Tessera's admin socket, as an operator's `tessera client create` goes.
  const created = await operatorCli(env)(
    "client", "create", "--id", "acme-shop", "--name", "Acme Shop", "--redirect-uri", rpRedirectUri, "--logo-uri", clientLogoUri,
  );
  expect(created).toMatchObject({ code: 0, stderr: "" });
  expect(created.stdout).toMatch(/^logo uri:\s+https:\/\/rp\.example\.test\/logo\.svg$/m);
  const authorizeUrl = `${tessera.issuer}/auth?${new URLSearchParams({ client_id: "acme-shop", redirect_uri: rpRedirectUri, response_type: "code", scope: "openid profile email", state: "s", nonce: "n" })}`;

  for (const [label, options] of [["desktop", {}], ["phone", phone]] as const) {
    const { page, watcher } = await browser.openPage(options, (context) =>
      context.route(clientLogoUri, (route) => route.fulfill({ contentType: "image/svg+xml", body: clientLogo })),
    );
    const width = page.viewportSize()!.width;
    await page.goto(authorizeUrl);
    await page.waitForURL(/\/interaction\/[\w-]+$/);
    expect(await page.title()).toBe("Sign in · Acme ID");
    await expectBrandColour(page);
    expect(await overflowing(page, width)).toEqual([]);
    await screenshot(page, `brand-login-${label}`);

    await page.getByLabel("Email").fill(person.email);
    await page.getByLabel("Password").fill(person.password);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await page.waitForURL(/\/interaction\/[\w-]+$/);
    expect(await page.locator("h1").innerText()).toBe("Allow Acme Shop to access your account?");
    expect(await page.locator("img.client-logo").getAttribute("src")).toBe(clientLogoUri);
    expect(await inPage(page, `document.querySelector("img.client-logo").naturalWidth > 0`)).toBe(true);
    expect(await overflowing(page, width)).toEqual([]);
    await screenshot(page, `brand-consent-${label}`);
    expect(await watcher.take()).toEqual([]);
  }
}, timeout);

test("a malformed brand setting stops start-up naming it", () => {
  const start = (env: Record<string, string>) =>
    spawnSync(process.execPath, ["--import", "tsx", "src/main.ts"], {
      cwd: path.resolve(import.meta.dirname, "../.."),
      env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: "test", PORT: "0", DATA_DIR: dir, KEYS_DIR: dir, ...env },
      encoding: "utf8",
      timeout: 60_000,
    });
  const badColour = start({ BRAND_PRIMARY_COLOR: "purple" });
  expect(badColour.status).toBe(1);
  expect(badColour.stderr).toContain("BRAND_PRIMARY_COLOR must be a hex colour such as #7a1f5c");
  const missingLogo = start({ BRAND_LOGO: path.join(dir, "missing.png") });
  expect(missingLogo.status).toBe(1);
  expect(missingLogo.stderr).toContain(`BRAND_LOGO names ${path.join(dir, "missing.png")}, which is not a readable file`);
}, timeout);

/** The primary button is in the brand colour, set by the stylesheet from its route. */
async function expectBrandColour(page: Page): Promise<void> {
  expect(await inPage(page, `getComputedStyle(document.querySelector("button.primary")).backgroundColor`)).toBe("rgb(122, 31, 92)");
}
