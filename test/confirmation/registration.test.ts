/**
 * Registering with email and password: the answer is "Check your email" whether or not the
 * address has an account; the account exists only once the mailed link is used; the link in
 * the browser that registered continues its sign-in with the chosen password, anywhere else
 * it asks for a password of the user's own (so whoever registered someone else's address
 * keeps no way in); two registrations racing for one address make one account.
 */
import type { Browser } from "playwright-core";
import { BrowserSession, confirmRegistration, isCheckEmailPage, newPerson, type Hop } from "../support/browser-session.js";
import { launchChromium } from "../support/chromium.js";
import { redeemCode, userinfo } from "../support/code-exchange.js";
import { demoAuthorizeUrl } from "../support/demo.js";
import { confirmLinkOf, keyOf, mailAfter, mailMark, mailsSince } from "../support/mailbox.js";
import { heading, textOf } from "../support/page-text.js";
import { allowIfAsked, register, signIn, signUp } from "../support/sign-up.js";
import { startTestTessera, type TestTessera } from "../support/tessera.js";

let tessera: TestTessera;
beforeAll(async () => {
  tessera = await startTestTessera();
});
afterAll(async () => tessera?.close());

const confirmSubject = "Confirm your email address";
const attemptSubject = "Someone tried to create a Tessera account with your email address";

const accounts = (address: string) => tessera.db.prisma.email.count({ where: { owned: address.toLowerCase() } });
const registeredEvents = (address: string) =>
  tessera.db.prisma.domainEvent.count({ where: { type: "account.registered", data: { path: ["email"], equals: address } } });

/** The page's text with the address and the interaction uid taken out: what the two answers may not differ in. */
const shapeOf = (hop: Hop, address: string) => textOf(hop.body).replaceAll(address, "ADDRESS").replace(/\/interaction\/[\w-]+/g, "/interaction/UID");

function codeOf(hop: Hop): string {
  if (!hop.location) throw new Error(`expected the demo callback, got ${hop.status} ${hop.url}: ${heading(hop)}`);
  const location = new URL(hop.location);
  expect(`${location.origin}${location.pathname}`).toBe(`${tessera.issuer}/demo/callback`);
  return location.searchParams.get("code")!;
}

test("a new address: \"Check your email\" with a way back, no account until the link is used, then the same browser continues the sign-in with the chosen password", async () => {
  const person = newPerson();
  const session = new BrowserSession(tessera.issuer);
  const mark = mailMark(tessera);
  const sent = await register(session, demoAuthorizeUrl(tessera), person);
  expect(isCheckEmailPage(sent)).toBe(true);
  expect(heading(sent)).toBe("Check your email");
  expect(sent.url).toMatch(/\/interaction\/[\w-]+\/register\/sent$/);
  expect(sent.body).toContain(person.email);
  expect(sent.body).toMatch(/<a href="\/interaction\/[\w-]+">Back to sign in<\/a>/);
  expect(sent.body).toMatch(/<a href="\/interaction\/[\w-]+\/register">Use a different address<\/a>/);

  // Nothing is created yet; what was chosen waits with the registration, the password only as an argon2 hash.
  expect(await accounts(person.email)).toBe(0);
  const pending = await tessera.db.prisma.pendingRegistration.findFirstOrThrow({ where: { address: person.email } });
  expect(pending.passwordHash).toMatch(/^\$argon2id\$/);
  expect(JSON.stringify(pending)).not.toContain(person.password);

  const mail = await mailAfter(tessera, mark, { to: person.email, subject: confirmSubject });
  expect(mail.text).toContain(`Hello ${person.name},`);
  expect(mail.text).toContain("24 hours");
  const link = confirmLinkOf(mail);
  // Fetching the link (a mail scanner) creates nothing.
  const page = await session.request(link);
  expect(page.status).toBe(200);
  expect(page.body).toContain(`action="/confirm/${keyOf(link)}"`);
  expect(page.body).toMatch(/<button[^>]*>Confirm my email address<\/button>/);
  expect(await accounts(person.email)).toBe(0);
  expect(await registeredEvents(person.email)).toBe(0);

  const next = await allowIfAsked(session, await session.follow(link, { form: {} }));
  const token = await redeemCode(tessera, codeOf(next));
  const me = await userinfo(tessera, token.tokens.access_token as string);
  expect(me.claims).toMatchObject({ email: person.email, email_verified: true, name: person.name });
  expect(await accounts(person.email)).toBe(1);
  expect(await registeredEvents(person.email)).toBe(1);
  // The chosen password signs in elsewhere.
  expect(codeOf((await signIn(tessera, person.email, person.password)).hop)).toBeTruthy();
  // The link is used up.
  expect((await new BrowserSession(tessera.issuer).request(link)).status).toBe(410);
});

test("an address that has an account answers exactly the same page; its owner is told by mail, with no link that changes anything, and nothing changes", async () => {
  const { person: owner } = await signUp(tessera);
  const stranger = newPerson();
  const mark = mailMark(tessera);
  const known = await register(new BrowserSession(tessera.issuer), demoAuthorizeUrl(tessera), { ...newPerson(), email: owner.email });
  const unknown = await register(new BrowserSession(tessera.issuer), demoAuthorizeUrl(tessera), stranger);
  expect({ status: known.status, page: shapeOf(known, owner.email) }).toEqual({ status: unknown.status, page: shapeOf(unknown, stranger.email) });

  const mail = await mailAfter(tessera, mark, { to: owner.email, subject: attemptSubject });
  expect(mail.text).toContain(`Hello ${owner.name},`);
  expect(mail.text).toContain(`${tessera.issuer}/account`);
  expect(mail.text).toContain(`${tessera.issuer}/password/forgot`);
  expect(mail.links.some((link) => link.includes("/confirm/"))).toBe(false);
  await tessera.jobs.whenIdle();
  expect(mailsSince(tessera, mark, owner.email).map((one) => one.subject)).toEqual([attemptSubject]);
  expect(await accounts(owner.email)).toBe(1);
  expect(await registeredEvents(owner.email)).toBe(1);
  // The owner's password still works; the registrant's does not.
  expect(codeOf((await signIn(tessera, owner.email, owner.password)).hop)).toBeTruthy();
});

test("the link opened in another browser asks for a password of the owner's own: the registrant's password and browser get nothing", async () => {
  const victim = newPerson();
  const attacker = new BrowserSession(tessera.issuer);
  const sent = await register(attacker, demoAuthorizeUrl(tessera), { ...victim, name: "Mallory", password: "attacker chose this" });
  expect(isCheckEmailPage(sent)).toBe(true);
  const link = confirmLinkOf(await mailAfter(tessera, 0, { to: victim.email, subject: confirmSubject }));

  const owner = new BrowserSession(tessera.issuer);
  const page = await owner.request(link);
  expect(heading(page)).toBe("Finish creating your account");
  expect(page.body).toContain("the password chosen there is not used");
  expect(page.body).toContain('autocomplete="new-password"');
  const weak = await owner.request(link, { form: { name: "Victim", password: "short" } });
  expect(weak.status).toBe(400);
  expect(weak.body).toContain('id="password-error"');
  expect(await accounts(victim.email)).toBe(0);

  const done = await owner.follow(link, { form: { name: "Victim", password: victim.password } });
  expect(heading(done)).toBe("Your account is ready");
  expect(await accounts(victim.email)).toBe(1);

  // The registrant's password does not sign in, and its browser cannot pick up the account.
  expect((await signIn(tessera, victim.email, "attacker chose this")).hop.status).toBe(401);
  const taken = await attacker.follow(`${sent.url.replace(/\/register\/sent$/, "")}/register/continue`);
  expect(heading(taken)).toBe("Sign in");
  expect(attacker.cookieNames).not.toContain("_session");
  const owned = await signIn(tessera, victim.email, victim.password);
  const me = await userinfo(tessera, (await redeemCode(tessera, codeOf(owned.hop))).tokens.access_token as string);
  expect(me.claims).toMatchObject({ name: "Victim", email_verified: true });
});

test("two registrations of one address, both links used at once: exactly one account, and the other link says the account exists", async () => {
  const person = newPerson();
  const first = new BrowserSession(tessera.issuer);
  const second = new BrowserSession(tessera.issuer);
  const mark = mailMark(tessera);
  await register(first, demoAuthorizeUrl(tessera), person);
  await register(second, demoAuthorizeUrl(tessera), { ...person, password: "another good password" });
  await tessera.jobs.whenIdle();
  await mailAfter(tessera, mark, { to: person.email, subject: confirmSubject });
  await tessera.mailbox.waitForMail(() => mailsSince(tessera, mark, person.email).length >= 2);
  const links = mailsSince(tessera, mark, person.email).map(confirmLinkOf);
  expect(new Set(links).size).toBe(2);

  const answers = await Promise.all([first.follow(links[0]!, { form: {} }), second.follow(links[1]!, { form: {} })]);
  expect(await accounts(person.email)).toBe(1);
  expect(await tessera.db.prisma.user.count({ where: { emails: { some: { normalized: person.email.toLowerCase() } } } })).toBe(1);
  const losers = answers.filter((answer) => answer.status === 409);
  expect(losers).toHaveLength(1);
  expect(textOf(losers[0]!.body)).toContain("An account with this address was created in the meantime");
});

test('"Send the mail again" answers the same page with a notice, and "Back to sign in" returns to the sign-in page', async () => {
  const person = newPerson();
  const session = new BrowserSession(tessera.issuer);
  const sent = await register(session, demoAuthorizeUrl(tessera), person);
  const resend = /action="(\/interaction\/[\w-]+\/register\/resend)"/.exec(sent.body)![1]!;
  const again = await session.request(resend, { form: {} });
  expect(again.status).toBe(200);
  expect(heading(again)).toBe("Check your email");
  expect(again.body).toContain("The mail is on its way again.");
  const back = await session.follow(/<a href="(\/interaction\/[\w-]+)">Back to sign in/.exec(sent.body)![1]!);
  expect(heading(back)).toBe("Sign in");
  // The newest link still creates the account and continues this sign-in.
  await tessera.jobs.whenIdle();
  const next = await allowIfAsked(session, await confirmRegistration(session, person.email));
  expect(codeOf(next)).toBeTruthy();
});

test("confirming an address added on the account page does not drop the user into an unfinished sign-in from earlier", async () => {
  const { session, person } = await signUp(tessera);
  // An authorization left unfinished at consent (prompt=consent asks again).
  const waiting = await session.follow(demoAuthorizeUrl(tessera, { prompt: "consent" }));
  expect(heading(waiting)).toMatch(/^Allow Tessera demo/);

  const added = `extra.${Date.now()}@example.test`;
  const mark = mailMark(tessera);
  expect((await session.follow("/account/emails", { form: { email: added } })).status).toBe(200);
  const link = confirmLinkOf(await mailAfter(tessera, mark, { to: added, subject: "Confirm your new email address" }));
  const confirmed = await session.follow(link, { form: {} });
  expect(heading(confirmed)).toBe("Email address confirmed");
  expect(confirmed.url).toBe(link);
  expect(person.email).not.toBe(added);
});

describe("in a real browser (Chromium)", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => browser?.close());

  test("register, check your email, open the link in the same browser: the sign-in continues to consent and the client", async () => {
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
      await page.waitForURL(/\/register\/sent$/);
      expect(await page.locator("h1").innerText()).toBe("Check your email");

      const link = confirmLinkOf(await mailAfter(tessera, 0, { to: person.email, subject: confirmSubject }));
      await page.goto(link);
      await page.getByRole("button", { name: "Confirm my email address" }).click();
      await page.waitForURL(/\/interaction\/[\w-]+$/);
      expect(await page.locator("h1").innerText()).toMatch(/^Allow Tessera demo/);
      await page.getByRole("button", { name: "Allow" }).click();
      await page.waitForURL(/\/demo\/callback\?/);
      expect(new URL(page.url()).searchParams.get("code")).toMatch(/^[\w-]+$/);
    } finally {
      await context.close();
    }
  });
});
