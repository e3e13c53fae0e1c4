/**
 * Every way a confirmation link can fail has its own page and status, saying what happened
 * and what to do next; links are single-use, superseded by newer ones, expire, are
 * rate-limited, and are never stored in clear. The links here confirm an address added on
 * the account page (the registration link is test/confirmation/registration.test.ts). A
 * movable clock stands in for waiting.
 */
import { createHash, randomBytes } from "node:crypto";
import { BrowserSession, type Hop } from "../support/browser-session.js";
import { startTestTessera, type TestTessera } from "../support/tessera.js";
import { confirmLinkOf, keyOf, mailsTo, nthMailTo } from "../support/mailbox.js";
import { heading } from "../support/page-text.js";
import { movableClock } from "../support/clock.js";
import { signUp } from "../support/sign-up.js";
import { newAddress, openAccount, rowFor } from "../support/account-page.js";

const clock = movableClock();
let tessera: TestTessera;
beforeAll(async () => {
  tessera = await startTestTessera({ clock });
});
afterAll(async () => tessera?.close());

const hours = 3600;

/**
 * Signs a new person up and adds an address on the account page; answers that address (as
 * `person.email`), the signed-in browser, the account page's "Resend link" action for it
 * (`page`) and the first link.
 */
async function registered() {
  const { session } = await signUp(tessera);
  const address = newAddress("link");
  await session.request("/account/emails", { form: { email: address } });
  const row = rowFor((await openAccount(session)).body, address);
  if (!row) throw new Error(`${address} is not on the account page`);
  const link = confirmLinkOf(await nthMailTo(tessera.mailbox, address, 1));
  return { person: { email: address }, session, page: `/account/emails/${row.id}/resend`, link };
}

/** A browser that has never seen Tessera (the person opens the mail on another device). */
const stranger = () => new BrowserSession(tessera.issuer);

/** The form action of the page's "Send me a new link" button, when there is one. */
function resendAction(hop: Hop): string | undefined {
  const match = /<form[^>]*action="([^"]+\/resend)"[^>]*>\s*<button[^>]*>Send me a new link<\/button>/.exec(hop.body);
  return match?.[1];
}

async function isVerified(address: string): Promise<boolean> {
  const email = await tessera.db.prisma.email.findFirst({ where: { normalized: address.toLowerCase() } });
  return email?.verifiedAt != null;
}

function expectFailurePage(hop: Hop, status: number, title: string) {
  expect({ status: hop.status, title: heading(hop) }).toEqual({ status, title });
  // A page for people: no stack trace, no raw error code.
  expect(hop.body).not.toMatch(/at \w+ \(|confirmation\.\w+|ConfirmationKeyError/);
}

/**
 * Presses "Resend link" next to the address on the account page, and lands where the
 * browser does: the account page with the result (post/redirect/get), or the refusal.
 */
function pressSendNewLink(session: BrowserSession, action: string): Promise<Hop> {
  return session.follow(action, { form: {} });
}

test("a truncated link (last characters cut off) answers 404 \"This link is incomplete\"", async () => {
  const { person, link } = await registered();
  const truncated = link.slice(0, -5);
  for (const hop of [await stranger().request(truncated), await stranger().request(truncated, { form: {} })]) {
    expectFailurePage(hop, 404, "This link is incomplete");
    expect(hop.body).toContain("copy the whole link");
    expect(resendAction(hop)).toBeUndefined();
  }
  expect(await isVerified(person.email)).toBe(false);
});

test("a well-formed key Tessera never issued answers 404 \"This link is not valid\"", async () => {
  const key = randomBytes(32).toString("base64url");
  expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/);
  for (const hop of [await stranger().request(`/confirm/${key}`), await stranger().request(`/confirm/${key}`, { form: {} })]) {
    expectFailurePage(hop, 404, "This link is not valid");
    expect(resendAction(hop)).toBeUndefined();
  }
  // "Send me a new link" cannot be forced onto an unknown key either.
  expectFailurePage(await stranger().request(`/confirm/${key}/resend`, { form: {} }), 404, "This link is not valid");
});

test("a link used twice answers 410 \"This link was already used\" the second time", async () => {
  const { person, link } = await registered();
  const first = await stranger().follow(link, { form: {} });
  expect(heading(first)).toBe("Email address confirmed");
  expect(await isVerified(person.email)).toBe(true);

  const opened = await stranger().request(link);
  expectFailurePage(opened, 410, "This link was already used");
  expect(opened.body).toContain("there is nothing left to do");
  expect(resendAction(opened)).toBeUndefined();
  expectFailurePage(await stranger().request(link, { form: {} }), 410, "This link was already used");
});

test("an older link after a newer one was sent answers 410 \"A newer link replaced this one\", with a \"Send me a new link\" button", async () => {
  const { person, session, page, link: older } = await registered();
  clock.advance(61);
  const sent = await pressSendNewLink(session, page);
  expect(sent.status).toBe(200);
  expect(sent.body).toContain("We sent a new link to");
  const newer = confirmLinkOf(await nthMailTo(tessera.mailbox, person.email, 2));
  expect(newer).not.toBe(older);

  const opened = await stranger().request(older);
  expectFailurePage(opened, 410, "A newer link replaced this one");
  expect(resendAction(opened)).toBe(`/confirm/${keyOf(older)}/resend`);
  expectFailurePage(await stranger().request(older, { form: {} }), 410, "A newer link replaced this one");
  expect(await isVerified(person.email)).toBe(false);

  // The newest link is the one that works.
  expect(heading(await stranger().follow(newer, { form: {} }))).toBe("Email address confirmed");
  expect(await isVerified(person.email)).toBe(true);
});

test("a link still works 23 hours after it was sent, as the mail's \"24 hours\" promises", async () => {
  const { person, link } = await registered();
  expect((await nthMailTo(tessera.mailbox, person.email, 1)).text).toContain("24 hours");
  clock.advance(23 * hours);
  const browser = stranger();
  expect((await browser.request(link)).status).toBe(200);
  expect(heading(await browser.follow(link, { form: {} }))).toBe("Email address confirmed");
  expect(await isVerified(person.email)).toBe(true);
});

test("an expired link answers 410 \"This link has expired\"; its \"Send me a new link\" button sends a fresh mail whose link works, and the old link stays refused", async () => {
  const { person, link: old } = await registered();
  clock.advance(25 * hours);

  const opened = await stranger().request(old);
  expectFailurePage(opened, 410, "This link has expired");
  const action = resendAction(opened);
  expect(action).toBe(`/confirm/${keyOf(old)}/resend`);
  expectFailurePage(await stranger().request(old, { form: {} }), 410, "This link has expired");
  expect(await isVerified(person.email)).toBe(false);

  const browser = stranger();
  const sent = await browser.request(action!, { form: {} });
  expect(sent.status).toBe(200);
  expect(heading(sent)).toBe("Check your email");
  expect(sent.body).toContain(person.email);
  const fresh = await nthMailTo(tessera.mailbox, person.email, 2);
  expect(fresh.subject).toBe("Confirm your new email address");
  const freshLink = confirmLinkOf(fresh);
  expect(freshLink).not.toBe(old);

  // The old link is still refused after the resend, and using it changes nothing.
  const oldAgain = await stranger().request(old, { form: {} });
  expect(oldAgain.status).toBe(410);
  expect(heading(oldAgain)).not.toBe("Email address confirmed");
  expect(await isVerified(person.email)).toBe(false);

  const confirmPage = await browser.request(freshLink);
  expect(confirmPage.status).toBe(200);
  expect(confirmPage.body).toMatch(/<button[^>]*>Confirm my email address<\/button>/);
  expect(heading(await browser.follow(freshLink, { form: {} }))).toBe("Email address confirmed");
  expect(await isVerified(person.email)).toBe(true);
});

test("opened in the browser that asked for it 2 h later, the link still confirms and says what to do next", async () => {
  const { person, session, link } = await registered();
  clock.advance(2 * hours);
  expect((await session.request(link)).status).toBe(200);
  const confirmed = await session.follow(link, { form: {} });
  expect({ status: confirmed.status, page: heading(confirmed) }).toEqual({ status: 200, page: "Email address confirmed" });
  expect(confirmed.body).toContain("sign in again");
  expect(await isVerified(person.email)).toBe(true);
});

test("two clicks on the same link at once: exactly one confirms, the other gets the \"already used\" page", async () => {
  const { person, link } = await registered();
  const hops = await Promise.all([stranger().request(link, { form: {} }), stranger().request(link, { form: {} })]);
  const titles = hops.map((hop) => `${hop.status} ${heading(hop)}`).sort();
  expect(titles).toEqual(["200 Email address confirmed", "410 This link was already used"]);
  expect(await isVerified(person.email)).toBe(true);
  const rows = await tessera.db.prisma.confirmation.findMany({ where: { keyHash: createHash("sha256").update(keyOf(link)).digest("hex") } });
  expect(rows.map((row) => row.status)).toEqual(["used"]);
});

test("the key is never stored in clear: key_hash is its SHA-256 and no column holds the key", async () => {
  const { person, link } = await registered();
  const key = keyOf(link);
  const email = await tessera.db.prisma.email.findFirst({ where: { normalized: person.email.toLowerCase() } });
  const rows = await tessera.db.sql.query<Record<string, unknown>>("SELECT * FROM confirmation WHERE object_id = $1", [email!.id]);
  expect(rows).toHaveLength(1);
  expect(rows[0]!.key_hash).toBe(createHash("sha256").update(key).digest("hex"));
  const everything = await tessera.db.sql.query<Record<string, unknown>>("SELECT * FROM confirmation");
  expect(JSON.stringify(everything)).not.toContain(key);
  // Once the mail is delivered its job, which carried the link, is gone too.
  await tessera.jobs.whenIdle();
  const jobs = await tessera.db.sql.query<Record<string, unknown>>("SELECT * FROM job");
  expect(JSON.stringify(jobs)).not.toContain(key);
});

test("at most five links an hour: after five, spaced by more than a minute, the sixth is refused with a wait in minutes", async () => {
  const { person, session, page, link: first } = await registered();
  for (let sent = 2; sent <= 5; sent++) {
    clock.advance(61);
    const hop = await pressSendNewLink(session, page);
    expect({ sent, status: hop.status }).toEqual({ sent, status: 200 });
    await nthMailTo(tessera.mailbox, person.email, sent);
  }
  clock.advance(61);
  const refused = await pressSendNewLink(session, page);
  expect(refused.status).toBe(429);
  const message = /(Too many links were sent\.[^<]*)</.exec(refused.body)?.[1];
  expect(message).toMatch(/^Too many links were sent\. You can ask for another in \d+ minutes\.$/);
  // Link 1 was sent about five minutes ago: it leaves the hour window in about 55 minutes.
  const minutes = Number(/in (\d+) minutes/.exec(message!)![1]);
  expect(minutes).toBeGreaterThanOrEqual(50);
  expect(minutes).toBeLessThanOrEqual(56);
  await tessera.jobs.whenIdle();
  expect(mailsTo(tessera.mailbox, person.email)).toHaveLength(5);

  // The same limit holds on the "Send me a new link" button of a replaced link.
  const replaced = await stranger().request(first);
  expectFailurePage(replaced, 410, "A newer link replaced this one");
  const viaButton = await stranger().request(resendAction(replaced)!, { form: {} });
  expect(viaButton.status).toBe(429);
  expect(viaButton.body).toMatch(/Too many links were sent\. You can ask for another in \d+ minutes\./);

  // Once the first link is more than an hour old, a new one may be sent again.
  clock.advance(1 * hours);
  const later = await stranger().request(resendAction(replaced)!, { form: {} });
  expect(later.status).toBe(200);
  expect(heading(later)).toBe("Check your email");
  await nthMailTo(tessera.mailbox, person.email, 6);
});
