/**
 * The mail server is down when someone signs up: the sign-up still succeeds, the mail waits
 * as a job with the error, and once the server is back it arrives by itself (the
 * harness sets MAIL_RETRY_BASE_SECONDS=1 and JOBS_POLL_SECONDS=1; only SMTP_URL is
 * overridden here, as options.env is spread over the harness's settings).
 */
import { newPerson, type Person } from "../support/browser-session.js";
import { freePort, startSmtpServer, type TestSmtpServer } from "../support/smtp.js";
import { startTestTessera, type TestTessera } from "../support/tessera.js";
import { BrowserSession } from "../support/browser-session.js";
import { confirmLinkOf } from "../support/mailbox.js";
import { demoAuthorizeUrl } from "../support/demo.js";
import { eventually } from "../support/eventually.js";
import { heading } from "../support/page-text.js";
import { register } from "../support/sign-up.js";

interface MailRow {
  id: string;
  attempts: number;
  last_error: string | null;
  state: string;
}

let tessera: TestTessera;
let smtpPort: number;
let lateSmtp: TestSmtpServer | undefined;
let person: Person;
let session: BrowserSession;
let link: string;

beforeAll(async () => {
  smtpPort = await freePort();
  tessera = await startTestTessera({ env: { SMTP_URL: `smtp://127.0.0.1:${smtpPort}` } });
});
afterAll(async () => {
  await tessera?.close();
  await lateSmtp?.close();
});

const rowsFor = (address: string) => tessera.db.sql.query<MailRow>("SELECT id, attempts, last_error, state FROM job WHERE kind = 'mail.send' AND payload->>'to' = $1", [address]);

test("the override took: Tessera sends to the dead port, not to the harness's mailbox", () => {
  expect(tessera.config.mail.transport).toEqual({ kind: "smtp", url: `smtp://127.0.0.1:${smtpPort}` });
  expect(tessera.config.mail.retryBaseSeconds).toBe(1);
  expect(tessera.config.jobs.pollSeconds).toBe(1);
});

test("with the mail server down, sign-up still answers \"Check your email\"; the mail waits with its error", async () => {
  person = newPerson();
  session = new BrowserSession(tessera.issuer);
  const page = await register(session, demoAuthorizeUrl(tessera), person);
  expect(page.status).toBe(200);
  expect(heading(page)).toBe("Check your email");
  expect(page.body).toContain(`We sent a mail to <strong>${person.email}</strong>`);
  expect(await tessera.db.prisma.pendingRegistration.count({ where: { normalized: person.email.toLowerCase() } })).toBe(1);

  const row = await eventually(async () => (await rowsFor(person.email)).find((candidate) => candidate.attempts >= 1 && candidate.last_error), 5000, "a failed delivery attempt");
  expect(row.state).toBe("ready");
  expect(row.last_error).toMatch(/ECONNREFUSED/);
  expect(row.last_error).toContain(String(smtpPort));
  expect(tessera.mailbox.messages).toHaveLength(0);
});

test("once the mail server is back the mail arrives within seconds and its row is deleted", async () => {
  expect(person).toBeDefined();
  lateSmtp = await startSmtpServer(smtpPort);
  const mail = await lateSmtp.waitForMail((received) => received.to.includes(person.email), 10_000);
  expect(mail.subject).toBe("Confirm your email address");
  link = confirmLinkOf(mail);
  await eventually(async () => (await rowsFor(person.email)).length === 0, 5000, "the delivered mail's row to be deleted");
  expect(lateSmtp.messages.filter((received) => received.to.includes(person.email))).toHaveLength(1);
});

test("the late link, opened in another browser, creates the account with a password chosen there", async () => {
  expect(link).toBeDefined();
  const other = new BrowserSession(tessera.issuer);
  expect((await other.request(link)).status).toBe(200);
  expect(heading(await other.follow(link, { form: { name: person.name, password: person.password } }))).toBe("Your account is ready");
  const email = await tessera.db.prisma.email.findFirst({ where: { normalized: person.email.toLowerCase() } });
  expect(email?.verifiedAt).not.toBeNull();
});

test("following the late link in the browser that signed up completes the sign-in", async () => {
  // Independent of the test above: a second person, whose mail also waited out an outage
  // shorter than this one (the server is up now, but the first attempt already failed).
  const late = newPerson();
  const browser = new BrowserSession(tessera.issuer);
  await lateSmtp?.close();
  lateSmtp = undefined;
  expect(heading(await register(browser, demoAuthorizeUrl(tessera), late))).toBe("Check your email");
  await eventually(async () => (await rowsFor(late.email)).find((row) => row.attempts >= 1 && row.last_error), 5000, "a failed delivery attempt");
  lateSmtp = await startSmtpServer(smtpPort);
  const mail = await lateSmtp.waitForMail((received) => received.to.includes(late.email), 10_000);
  const lateLink = confirmLinkOf(mail);

  expect((await browser.request(lateLink)).status).toBe(200);
  const next = await browser.follow(lateLink, { form: {} });
  expect(heading(next)).toMatch(/^Allow Tessera demo/);
  const consent = /action="(\/interaction\/[\w-]+\/consent)"/.exec(next.body)?.[1];
  const redirect = await browser.follow(consent!, { form: { decision: "allow" } });
  const location = new URL(redirect.location!);
  expect(`${location.origin}${location.pathname}`).toBe(`${tessera.issuer}/demo/callback`);
  expect(location.searchParams.get("code")).toMatch(/^[\w-]+$/);
});
