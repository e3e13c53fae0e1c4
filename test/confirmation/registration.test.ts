/**
 * Signing up to a client that requires a verified email: the "Confirm your email" step, the
 * mail that carries the link, and what the link does in the same browser, in another
 * browser, for a mail scanner, and what the relying party finally receives.
 */
import type { Browser } from "playwright-core";
import { newPerson, type Hop } from "../support/browser-session.js";
import { launchChromium } from "../support/chromium.js";
import { codeClient, registerClient, rpRedirectUri } from "../support/clients.js";
import { startTestTessera, type TestTessera } from "../support/tessera.js";
import { BrowserSession } from "../support/browser-session.js";
import { confirmLinkOf, keyOf, mailsTo, nthMailTo } from "../support/mailbox.js";
import { demoAuthorizeUrl } from "../support/demo.js";
import { heading } from "../support/page-text.js";
import { redeemCode, userinfo } from "../support/code-exchange.js";
import { register } from "../support/sign-up.js";

let tessera: TestTessera;
beforeAll(async () => {
  tessera = await startTestTessera();
});
afterAll(async () => tessera?.close());

const confirmYourEmail = "Confirm your email";

function isVerifyEmailPage(hop: Hop): boolean {
  return hop.status === 200 && hop.body.includes("<h1>Confirm your email</h1>") && hop.body.includes("/resend-verification\"");
}

function isConsentPage(hop: Hop): boolean {
  return hop.status === 200 && /action="\/interaction\/[\w-]+\/consent"/.test(hop.body);
}

/** Presses "Allow" on a consent page and returns the redirect to the relying party. */
async function allow(session: BrowserSession, consent: Hop): Promise<Hop> {
  const action = /action="(\/interaction\/[\w-]+\/consent)"/.exec(consent.body)?.[1];
  if (!action) throw new Error(`not a consent page: ${heading(consent)}`);
  return session.follow(action, { form: { decision: "allow" } });
}

function codeFrom(hop: Hop, redirectUri: string, state = "demo"): string {
  expect(hop.location).toBeDefined();
  const location = new URL(hop.location!);
  expect(`${location.origin}${location.pathname}`).toBe(redirectUri);
  expect(location.searchParams.get("error")).toBeNull();
  expect(location.searchParams.get("state")).toBe(state);
  const code = location.searchParams.get("code");
  expect(code).toMatch(/^[\w-]+$/);
  return code!;
}

async function claimsFor(code: string): Promise<Record<string, unknown>> {
  const token = await redeemCode(tessera, code);
  expect(token.status).toBe(200);
  expect(typeof token.tokens.access_token).toBe("string");
  const me = await userinfo(tessera, token.tokens.access_token as string);
  expect(me.status).toBe(200);
  return me.claims;
}

test("signing up to the demo client asks to confirm the email, and the mail with the link arrives over SMTP", async () => {
  const person = newPerson();
  const session = new BrowserSession(tessera.issuer);
  const page = await register(session, demoAuthorizeUrl(tessera), person);

  expect(heading(page)).toBe(confirmYourEmail);
  expect(isVerifyEmailPage(page)).toBe(true);
  expect(isConsentPage(page)).toBe(false);
  expect(page.body).toContain(person.email);
  expect(page.body).toContain("Open it in this browser and your sign-in continues by itself.");

  const mail = await nthMailTo(tessera.mailbox, person.email, 1);
  expect(mail.subject).toBe("Confirm your email address");
  expect(mail.text).toContain(`Hello ${person.name},`);
  expect(mail.html).toContain("<html");
  const link = confirmLinkOf(mail);
  expect(link).toMatch(new RegExp(`^${tessera.issuer}/confirm/[A-Za-z0-9_-]{43}$`));
  // The HTML part carries the same link, as a button and for copy-paste.
  expect(mail.html).toContain(`href="${link}"`);
  expect(mail.html).toContain("Confirm my email address");
  expect(mail.text).toContain("24 hours");
  // One mail, not one per page view.
  expect(mailsTo(tessera.mailbox, person.email)).toHaveLength(1);
});

test("the link opened in the same browser asks for a click, then continues the sign-in to consent and a code whose userinfo says email_verified: true", async () => {
  const person = newPerson();
  const session = new BrowserSession(tessera.issuer);
  expect(isVerifyEmailPage(await register(session, demoAuthorizeUrl(tessera), person))).toBe(true);
  const link = confirmLinkOf(await nthMailTo(tessera.mailbox, person.email, 1));

  const confirmPage = await session.request(link);
  expect(confirmPage.status).toBe(200);
  expect(confirmPage.body).toContain(`action="/confirm/${keyOf(link)}"`);
  expect(confirmPage.body).toMatch(/<button[^>]*>Confirm my email address<\/button>/);
  expect(confirmPage.body).toContain(person.email);

  const next = await session.follow(link, { form: {} });
  // The sign-in continues: the consent page, not "confirmed, now sign in again".
  expect(heading(next)).toMatch(/^Allow Tessera demo/);
  expect(isConsentPage(next)).toBe(true);

  const code = codeFrom(await allow(session, next), `${tessera.issuer}/demo/callback`);
  const claims = await claimsFor(code);
  expect(claims.email).toBe(person.email);
  expect(claims.email_verified).toBe(true);
});

test("the link opened in another browser confirms and says to sign in again; the first browser then proceeds without being asked again", async () => {
  const person = newPerson();
  const first = new BrowserSession(tessera.issuer);
  expect(isVerifyEmailPage(await register(first, demoAuthorizeUrl(tessera), person))).toBe(true);
  const link = confirmLinkOf(await nthMailTo(tessera.mailbox, person.email, 1));

  const other = new BrowserSession(tessera.issuer);
  const confirmPage = await other.request(link);
  expect(confirmPage.status).toBe(200);
  expect(confirmPage.body).toMatch(/<button[^>]*>Confirm my email address<\/button>/);
  const confirmed = await other.follow(link, { form: {} });
  expect(confirmed.status).toBe(200);
  expect(heading(confirmed)).toBe("Email address confirmed");
  expect(confirmed.body).toContain(person.email);
  expect(confirmed.body).toContain("go back there and sign in again");
  expect(confirmed.location).toBeUndefined();

  // Back in the first browser: trying again goes straight to consent (no login, no "confirm your email").
  const retry = await first.follow(demoAuthorizeUrl(tessera));
  expect(heading(retry)).toMatch(/^Allow Tessera demo/);
  expect(isVerifyEmailPage(retry)).toBe(false);
  expect(retry.body).not.toContain('name="password"');
  const code = codeFrom(await allow(first, retry), `${tessera.issuer}/demo/callback`);
  expect((await claimsFor(code)).email_verified).toBe(true);
});

test("after confirming in another browser, reloading the waiting \"Confirm your email\" page continues the sign-in instead of still saying a link is on its way", async () => {
  const person = newPerson();
  const first = new BrowserSession(tessera.issuer);
  const waiting = await register(first, demoAuthorizeUrl(tessera), person);
  expect(isVerifyEmailPage(waiting)).toBe(true);
  const link = confirmLinkOf(await nthMailTo(tessera.mailbox, person.email, 1));
  expect(heading(await new BrowserSession(tessera.issuer).follow(link, { form: {} }))).toBe("Email address confirmed");

  const reloaded = await first.follow(waiting.url);
  expect(heading(reloaded)).toMatch(/^Allow Tessera demo/);
  expect(isConsentPage(reloaded)).toBe(true);
});

test("after confirming in another browser, \"Send a new link\" in the waiting browser continues the sign-in instead of a dead-end error", async () => {
  const person = newPerson();
  const first = new BrowserSession(tessera.issuer);
  const waiting = await register(first, demoAuthorizeUrl(tessera), person);
  expect(isVerifyEmailPage(waiting)).toBe(true);
  const link = confirmLinkOf(await nthMailTo(tessera.mailbox, person.email, 1));
  expect(heading(await new BrowserSession(tessera.issuer).follow(link, { form: {} }))).toBe("Email address confirmed");

  const resend = /action="(\/interaction\/[\w-]+\/resend-verification)"/.exec(waiting.body)![1]!;
  const pressed = await first.follow(resend, { form: {} });
  expect({ status: pressed.status, page: heading(pressed) }).toEqual({ status: 200, page: expect.stringMatching(/^Allow Tessera demo/) });
  expect(isConsentPage(pressed)).toBe(true);
});

test("a client that does not require a verified email lets a new account through at once, and userinfo honestly says email_verified: false", async () => {
  const client = await registerClient(tessera, codeClient({ scope: "openid profile email" }));
  const person = newPerson();
  const session = new BrowserSession(tessera.issuer);
  const authorizeUrl = `/auth?${new URLSearchParams({ client_id: client.client_id, response_type: "code", scope: "openid email", redirect_uri: rpRedirectUri, state: "st-1" })}`;
  const page = await register(session, authorizeUrl, person);
  expect(isVerifyEmailPage(page)).toBe(false);
  expect(isConsentPage(page)).toBe(true);

  const code = codeFrom(await allow(session, page), rpRedirectUri, "st-1");
  const token = await redeemCode(tessera, code, { id: client.client_id, secret: client.client_secret!, redirectUri: rpRedirectUri });
  expect(token.status).toBe(200);
  const me = await userinfo(tessera, token.tokens.access_token as string);
  expect(me.status).toBe(200);
  expect(me.claims.email).toBe(person.email);
  expect(me.claims.email_verified).toBe(false);
  // The confirmation mail is still sent, so the address can be confirmed later.
  expect((await nthMailTo(tessera.mailbox, person.email, 1)).subject).toBe("Confirm your email address");
});

test("silent authorization (prompt=none) with an unverified account's session returns login_required to the client, not a page", async () => {
  const person = newPerson();
  const session = new BrowserSession(tessera.issuer);
  expect(isVerifyEmailPage(await register(session, demoAuthorizeUrl(tessera), person))).toBe(true);
  expect(session.cookieNames).toContain("_session");

  const hop = await session.follow(demoAuthorizeUrl(tessera, { prompt: "none", state: "silent" }));
  expect([302, 303]).toContain(hop.status);
  const location = new URL(hop.location!);
  expect(`${location.origin}${location.pathname}`).toBe(`${tessera.issuer}/demo/callback`);
  expect(location.searchParams.get("error")).toBe("login_required");
  expect(location.searchParams.get("state")).toBe("silent");
  expect(location.searchParams.get("code")).toBeNull();
});

test('"Send a new link" right after sign-up answers 429 on the same page with "A link was sent a moment ago", and sends nothing', async () => {
  const person = newPerson();
  const session = new BrowserSession(tessera.issuer);
  const page = await register(session, demoAuthorizeUrl(tessera), person);
  expect(isVerifyEmailPage(page)).toBe(true);
  const firstMail = await nthMailTo(tessera.mailbox, person.email, 1);

  const resend = /action="(\/interaction\/[\w-]+\/resend-verification)"/.exec(page.body)![1]!;
  const again = await session.request(resend, { form: {} });
  expect(again.status).toBe(429);
  expect(heading(again)).toBe(confirmYourEmail);
  const wait = /role="alert">A link was sent a moment ago\. You can ask for another in (\d+) seconds\./.exec(again.body)?.[1];
  expect(wait).toBeDefined();
  expect(Number(wait)).toBeGreaterThanOrEqual(1);
  expect(Number(wait)).toBeLessThanOrEqual(60);
  expect(again.body).toContain('/resend-verification"');

  // No new link was made, so the one in the first mail still works.
  await tessera.jobs.whenIdle();
  expect(mailsTo(tessera.mailbox, person.email)).toHaveLength(1);
  const confirmed = await new BrowserSession(tessera.issuer).follow(confirmLinkOf(firstMail), { form: {} });
  expect(heading(confirmed)).toBe("Email address confirmed");
});

test("fetching a mail link (as a mail scanner does) does not use it up", async () => {
  const person = newPerson();
  expect(isVerifyEmailPage(await register(new BrowserSession(tessera.issuer), demoAuthorizeUrl(tessera), person))).toBe(true);
  const link = confirmLinkOf(await nthMailTo(tessera.mailbox, person.email, 1));

  for (let i = 0; i < 3; i++) {
    const scanned = await fetch(link, { redirect: "manual" });
    expect(scanned.status).toBe(200);
    expect(await scanned.text()).toContain("Confirm my email address");
  }
  const scannedHead = await fetch(link, { method: "HEAD", redirect: "manual" });
  expect(scannedHead.status).toBe(200);
  const email = await tessera.db.prisma.email.findFirst({ where: { normalized: person.email.toLowerCase() } });
  expect(email?.verifiedAt).toBeNull();

  // The person's own click still works afterwards.
  const confirmed = await new BrowserSession(tessera.issuer).follow(link, { form: {} });
  expect(confirmed.status).toBe(200);
  expect(heading(confirmed)).toBe("Email address confirmed");
  const after = await tessera.db.prisma.email.findFirst({ where: { normalized: person.email.toLowerCase() } });
  expect(after?.verifiedAt).not.toBeNull();
});

describe("in a real browser (Chromium)", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => browser?.close());

  test("the link opened in the same browser continues the sign-in to consent", async () => {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      const person = newPerson();
      await page.goto(`${tessera.issuer}${demoAuthorizeUrl(tessera)}`);
      await page.getByRole("link", { name: "Create an account" }).click();
      await page.waitForURL(/\/interaction\/[\w-]+\/register$/);
      await page.getByLabel("Name", { exact: true }).fill(person.name);
      await page.getByLabel("Email", { exact: true }).fill(person.email);
      await page.getByLabel("Password", { exact: true }).fill(person.password);
      await page.getByRole("button", { name: "Create account" }).click();
      await page.waitForLoadState();
      expect(await page.locator("h1").innerText()).toBe(confirmYourEmail);

      const link = confirmLinkOf(await nthMailTo(tessera.mailbox, person.email, 1));
      await page.goto(link);
      expect(await page.locator("h1").innerText()).toBe("Confirm your email address");
      await page.getByRole("button", { name: "Confirm my email address" }).click();
      await page.waitForLoadState();
      // The sign-in continues at consent, not "Email address confirmed … sign in again".
      expect({ h1: await page.locator("h1").innerText(), url: page.url() }).toEqual({
        h1: expect.stringMatching(/^Allow Tessera demo/),
        url: expect.stringMatching(/\/interaction\/[\w-]+$/),
      });
      await page.getByRole("button", { name: "Allow" }).click();
      await page.waitForURL(/\/demo\/callback\?/);
      expect(new URL(page.url()).searchParams.get("code")).toMatch(/^[\w-]+$/);
    } finally {
      await context.close();
    }
  });
});
