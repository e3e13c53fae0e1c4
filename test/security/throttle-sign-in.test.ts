/**
 * Password sign-in throttling (issue 10): failures per (address, IP), per IP and per
 * address from browsers not known to the address, and per known browser; a refused attempt
 * gets the sign-in page with 429 and Retry-After and no password check; the owner's own
 * browser signs in while an attacker's addresses are throttled.
 */
import { newPerson, type Person } from "../support/browser-session.js";
import { movableClock } from "../support/clock.js";
import { signUp } from "../support/sign-up.js";
import { startTestTessera, type TestTessera } from "../support/tessera.js";
import { alertOf, browserAt, retryAfterOf, signInAgain } from "../support/throttle.js";
import { confirmLinkOf, mailAfter, mailMark } from "../support/mailbox.js";

// Each test uses addresses and accounts of its own, so counts of one do not reach the next.
// Frozen: the counts of a test stay in one window until the test moves the clock.
const clock = movableClock({ frozen: true });
let tessera: TestTessera;

beforeAll(async () => {
  tessera = await startTestTessera({
    clock,
    env: {
      TRUST_PROXY: "true",
      THROTTLE_SIGN_IN_PER_ACCOUNT_AND_IP: "3/15m",
      THROTTLE_SIGN_IN_PER_ACCOUNT: "6/15m",
      THROTTLE_SIGN_IN_PER_IP: "8/1h",
      THROTTLE_SIGN_IN_PER_KNOWN_BROWSER: "3/15m",
    },
  });
}, 60_000);
afterAll(() => tessera?.close());

const reachedClient = (hop: { location?: string }) => !!hop.location?.startsWith(`${tessera.issuer}/demo/callback?code=`);

async function person(ip = "192.0.2.10"): Promise<Person> {
  return (await signUp(tessera, newPerson(), browserAt(tessera, ip))).person;
}

test("the fourth wrong password from one address is refused with 429 and Retry-After, the right one too, until the window has passed", async () => {
  const owner = await person();
  const attacker = browserAt(tessera, "198.51.100.7");
  for (let i = 0; i < 3; i++) {
    const hop = await signInAgain(tessera, attacker, owner.email, "wrong-password");
    expect(hop.status).toBe(401);
  }

  const refused = await signInAgain(tessera, attacker, owner.email, "wrong-password");
  expect(refused.status).toBe(429);
  const wait = retryAfterOf(refused)!;
  expect(wait).toBeGreaterThan(0);
  expect(wait).toBeLessThanOrEqual(15 * 60);
  expect(alertOf(refused.body)).toMatch(/^Too many failed sign-in attempts\. Try again in \d+ (minutes?|seconds?)\.$/);
  // The form is still there, with the address kept, to try again later.
  expect(refused.body).toContain(`value="${owner.email}"`);

  // No password is checked while refused: the right one is refused the same way.
  expect((await signInAgain(tessera, attacker, owner.email, owner.password)).status).toBe(429);

  clock.advance(wait);
  expect(reachedClient(await signInAgain(tessera, attacker, owner.email, owner.password))).toBe(true);
});

test("the owner's browser signs in while attackers from other addresses, and from the owner's own, are throttled", async () => {
  const owner = await person("203.0.113.20");
  // The owner signed in from this browser before: it is known to the address.
  const ownersBrowser = browserAt(tessera, "203.0.113.20");
  expect(reachedClient(await signInAgain(tessera, ownersBrowser, owner.email, owner.password))).toBe(true);

  // An attacker sharing the owner's network uses up that address's count (3) …
  for (let i = 0; i < 3; i++) expect((await signInAgain(tessera, browserAt(tessera, "203.0.113.20"), owner.email, "wrong-password")).status).toBe(401);
  expect((await signInAgain(tessera, browserAt(tessera, "203.0.113.20"), owner.email, "wrong-password")).status).toBe(429);
  // … one elsewhere uses up the rest of the address's count for unknown browsers (6) …
  for (let i = 0; i < 3; i++) expect((await signInAgain(tessera, browserAt(tessera, "198.51.100.1"), owner.email, "wrong-password")).status).toBe(401);
  // … so from any other address, and in any browser the address does not know, it is refused at once.
  expect((await signInAgain(tessera, browserAt(tessera, "198.51.100.3"), owner.email, "wrong-password")).status).toBe(429);
  expect((await signInAgain(tessera, browserAt(tessera, "192.0.2.200"), owner.email, owner.password)).status).toBe(429);

  // The owner's own browser is counted on its own: it signs in.
  expect(reachedClient(await signInAgain(tessera, ownersBrowser, owner.email, owner.password))).toBe(true);
});

test("a known browser has a limit of its own", async () => {
  const owner = await person();
  const browser = browserAt(tessera, "192.0.2.30");
  expect(reachedClient(await signInAgain(tessera, browser, owner.email, owner.password))).toBe(true);
  for (let i = 0; i < 3; i++) expect((await signInAgain(tessera, browser, owner.email, "wrong-password")).status).toBe(401);
  const refused = await signInAgain(tessera, browser, owner.email, owner.password);
  expect(refused.status).toBe(429);
  expect(retryAfterOf(refused)).toBeGreaterThan(0);
});

test("one address trying many accounts is refused once over the per-IP count", async () => {
  const sprayer = browserAt(tessera, "198.51.100.99");
  for (let i = 0; i < 8; i++) expect((await signInAgain(tessera, sprayer, newPerson().email, "wrong-password")).status).toBe(401);
  expect((await signInAgain(tessera, sprayer, newPerson().email, "wrong-password")).status).toBe(429);
});

test("an address without an account is answered exactly as one with an account, refused or not", async () => {
  const owner = await person();
  const nobody = newPerson();
  const answers = async (email: string, ip: string) => {
    const browser = browserAt(tessera, ip);
    const hops = [];
    for (let i = 0; i < 4; i++) hops.push(await signInAgain(tessera, browser, email, "wrong-password"));
    return hops.map((hop) => ({ status: hop.status, alert: alertOf(hop.body), retryAfter: retryAfterOf(hop) !== undefined }));
  };
  expect(await answers(nobody.email, "198.51.100.50")).toEqual(await answers(owner.email, "198.51.100.51"));
});

test("correct passwords do not count as failures", async () => {
  const owner = await person();
  for (let i = 0; i < 5; i++) {
    expect(reachedClient(await signInAgain(tessera, browserAt(tessera, "192.0.2.77"), owner.email, owner.password))).toBe(true);
  }
});

test("a password reset makes its browser known to the address: the owner signs in there while strangers are throttled", async () => {
  const owner = await person("203.0.113.40");
  // Attackers use up the address's count for browsers it does not know (6).
  for (const ip of ["198.51.100.41", "198.51.100.42"]) {
    for (let i = 0; i < 3; i++) expect((await signInAgain(tessera, browserAt(tessera, ip), owner.email, "wrong-password")).status).toBe(401);
  }
  // The owner, on a new laptop, is a stranger too …
  const laptop = browserAt(tessera, "203.0.113.41");
  expect((await signInAgain(tessera, laptop, owner.email, owner.password)).status).toBe(429);

  // … until they reset the password there, through the link mailed to them.
  const mark = mailMark(tessera);
  expect((await laptop.request("/password/forgot", { form: { email: owner.email } })).status).toBe(200);
  // The request is handled a second after its answer (the same time for every address); the clock is frozen.
  clock.advance(2);
  await tessera.jobs.runDue();
  await tessera.jobs.whenIdle();
  const link = confirmLinkOf(await mailAfter(tessera, mark, { to: owner.email, subject: /Reset your .* password/ }));
  const newPassword = "a brand new passphrase 42";
  expect((await laptop.request(link, { form: { password: newPassword } })).status).toBe(200);

  expect(reachedClient(await signInAgain(tessera, laptop, owner.email, newPassword))).toBe(true);
  // Strangers are still refused.
  expect((await signInAgain(tessera, browserAt(tessera, "198.51.100.43"), owner.email, newPassword)).status).toBe(429);
});
