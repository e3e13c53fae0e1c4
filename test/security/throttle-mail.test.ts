/**
 * Requests that send mail are throttled per IP and per (kind, address) (issue 10 items 1 and
 * 5), and concurrent requests for new links leave exactly one valid link (item 10).
 */
import { newPerson, type BrowserSession } from "../support/browser-session.js";
import { accountIdOf, newAddress, openAccount, rowFor } from "../support/account-page.js";
import { movableClock } from "../support/clock.js";
import { demoAuthorizeUrl } from "../support/demo.js";
import { mailMark, mailsSince } from "../support/mailbox.js";
import { fieldErrorOf, h1Of } from "../support/page-text.js";
import { register, signUp } from "../support/sign-up.js";
import { startTestTessera, type TestTessera } from "../support/tessera.js";
import { alertOf, browserAt, retryAfterOf } from "../support/throttle.js";

// Frozen: the counts of a test stay in one window until the test moves the clock.
const clock = movableClock({ frozen: true });
let tessera: TestTessera;

beforeAll(async () => {
  tessera = await startTestTessera({
    clock,
    env: { TRUST_PROXY: "true", THROTTLE_MAIL_PER_IP: "6/10m", THROTTLE_MAIL_PER_ADDRESS: "3/10m" },
  });
}, 60_000);
afterAll(() => tessera?.close());

const tooMany = /^Too many emails were asked for\. Try again in \d+ (minutes?|seconds?)\.$/;

async function signedUp(ip: string) {
  return signUp(tessera, newPerson(), browserAt(tessera, ip));
}

const forgot = (browser: BrowserSession, email: string) => browser.request("/password/forgot", { form: { email } });

test("sign-ups from one address: the seventh is refused next to the email field with 429 and Retry-After, and accepted after the window", async () => {
  const ip = "198.51.100.10";
  for (let i = 0; i < 6; i++) expect((await register(browserAt(tessera, ip), demoAuthorizeUrl(tessera), newPerson())).status).toBe(200);

  const refused = await register(browserAt(tessera, ip), demoAuthorizeUrl(tessera), newPerson());
  expect(refused.status).toBe(429);
  expect(h1Of(refused.body)).toBe("Create your account");
  expect(fieldErrorOf(refused.body, "email")).toMatch(tooMany);
  const wait = retryAfterOf(refused)!;
  expect(wait).toBeGreaterThan(0);
  expect(wait).toBeLessThanOrEqual(600);
  // Another address is not held back by this one.
  expect((await register(browserAt(tessera, "198.51.100.11"), demoAuthorizeUrl(tessera), newPerson())).status).toBe(200);

  clock.advance(wait);
  expect((await register(browserAt(tessera, ip), demoAuthorizeUrl(tessera), newPerson())).status).toBe(200);
});

test("adding someone else's address again and again mails them no more than the limit", async () => {
  const victim = (await signedUp("192.0.2.40")).person;
  const { session: attacker } = await signedUp("198.51.100.20");
  const mark = mailMark(tessera);

  const answers: number[] = [];
  for (let i = 0; i < 6; i++) {
    const added = await attacker.follow("/account/emails", { form: { email: victim.email } });
    answers.push(added.status);
    if (added.status === 429) {
      expect(fieldErrorOf(added.body, "email")).toMatch(tooMany);
      expect(retryAfterOf(added)).toBeGreaterThan(0);
      continue;
    }
    // Remove it again, to add it once more.
    const row = rowFor((await openAccount(attacker)).body, victim.email)!;
    await attacker.follow(`/account/emails/${row.id}/remove`, { form: {} });
  }
  expect(answers).toEqual([200, 200, 200, 429, 429, 429]);
  await tessera.jobs.whenIdle();
  expect(mailsSince(tessera, mark, victim.email)).toHaveLength(3);
});

test("adding and removing an address nobody has yet, and asking for new links, mails it no more than the limit", async () => {
  const { session } = await signedUp("198.51.100.30");
  const target = newAddress("target");
  const mark = mailMark(tessera);
  expect((await session.follow("/account/emails", { form: { email: target } })).status).toBe(200);
  const row = rowFor((await openAccount(session)).body, target)!;
  clock.advance(61);
  expect((await session.follow(`/account/emails/${row.id}/resend`, { form: {} })).status).toBe(200);
  await session.follow(`/account/emails/${row.id}/remove`, { form: {} });
  expect((await session.follow("/account/emails", { form: { email: target } })).status).toBe(200);
  const again = rowFor((await openAccount(session)).body, target)!;
  clock.advance(61);
  const refused = await session.follow(`/account/emails/${again.id}/resend`, { form: {} });
  expect(refused.status).toBe(429);
  expect(retryAfterOf(refused)).toBeGreaterThan(0);
  await tessera.jobs.whenIdle();
  expect(mailsSince(tessera, mark, target)).toHaveLength(3);
});

test("password reset requests are limited per address, answered alike whether or not it has an account", async () => {
  const known = (await signedUp("192.0.2.50")).person.email;
  const unknown = newPerson().email;
  const statuses = async (email: string, ip: string) => {
    const browser = browserAt(tessera, ip);
    const answers = [];
    for (let i = 0; i < 4; i++) {
      const answer = await forgot(browser, email);
      answers.push({ status: answer.status, heading: h1Of(answer.body), error: fieldErrorOf(answer.body, "email"), retryAfter: retryAfterOf(answer) !== undefined });
    }
    return answers;
  };
  const forKnown = await statuses(known, "198.51.100.40");
  expect(forKnown.map((answer) => answer.status)).toEqual([200, 200, 200, 429]);
  expect(forKnown[3]!.error).toMatch(tooMany);
  expect(await statuses(unknown, "198.51.100.41")).toEqual(forKnown);
});

test("reset requests made at the same moment leave exactly one valid link", async () => {
  const person = (await signedUp("192.0.2.60")).person;
  const accountId = await accountIdOf(tessera, person.email);
  const mark = mailMark(tessera);
  const answers = await Promise.all(["198.51.100.61", "198.51.100.62", "198.51.100.63"].map((ip) => forgot(browserAt(tessera, ip), person.email)));
  expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200]);
  // Links are made by a job due a moment after the answer.
  clock.advance(2);
  await tessera.jobs.runDue();
  await tessera.jobs.whenIdle();
  expect(await tessera.db.prisma.confirmation.count({ where: { intent: "password-reset", objectId: accountId, status: "pending" } })).toBe(1);
  expect(await tessera.db.prisma.confirmation.count({ where: { intent: "password-reset", objectId: accountId } })).toBe(1);
  await tessera.jobs.whenIdle();
  expect(mailsSince(tessera, mark, person.email)).toHaveLength(1);
});

test("new links asked for at the same moment leave exactly one valid link", async () => {
  const { session } = await signedUp("198.51.100.70");
  const target = newAddress("resend");
  expect((await session.follow("/account/emails", { form: { email: target } })).status).toBe(200);
  const row = rowFor((await openAccount(session)).body, target)!;
  clock.advance(61);
  const answers = await Promise.all([1, 2].map(() => session.follow(`/account/emails/${row.id}/resend`, { form: {} })));
  expect(answers.map((answer) => answer.status).sort()).toEqual([200, 429]);
  expect(alertOf(answers.find((answer) => answer.status === 429)!.body) ?? "").toBe("");
  expect(await tessera.db.prisma.confirmation.count({ where: { intent: "add-email", objectId: row.id, status: "pending" } })).toBe(1);
});
