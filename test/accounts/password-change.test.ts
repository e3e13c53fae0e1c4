/**
 * Changing the password on /account with the current one, over HTTP: the rules of a new
 * password, a wrong current password refused next to its field (audited, and counted like
 * a failed sign-in), and a change that keeps this browser signed in, signs every other one
 * out, is audited and mailed to the owner.
 */
import { accountIdOf } from "../support/account-page.js";
import type { BrowserSession } from "../support/browser-session.js";
import { eventually } from "../support/eventually.js";
import { mailAfter, mailMark } from "../support/mailbox.js";
import { fieldErrorOf, noticeOf } from "../support/page-text.js";
import { signIn, signUp } from "../support/sign-up.js";
import { startTestTessera, type TestTessera } from "../support/tessera.js";

let tessera: TestTessera;
beforeAll(async () => {
  // Three wrong current passwords per account and address, the rest as in other suites.
  tessera = await startTestTessera({ env: { THROTTLE_SIGN_IN_PER_ACCOUNT_AND_IP: "3/15m" } });
});
afterAll(async () => tessera?.close());

const change = (session: BrowserSession, current: string, next: string) => session.request("/account/password", { form: { current_password: current, new_password: next } });

test("a change with the current password: this browser stays, every other is signed out; audited and mailed", async () => {
  const { session, person } = await signUp(tessera);
  const other = (await signIn(tessera, person.email, person.password)).session;
  expect((await other.request("/account")).status).toBe(200);
  const accountId = await accountIdOf(tessera, person.email);
  const mark = mailMark(tessera);
  const newPassword = "a brand new passphrase 42";

  const changed = await change(session, person.password, newPassword);
  expect(changed.status).toBe(303);
  expect(changed.location).toBe(`${tessera.issuer}/account`);
  const page = await session.follow(changed.location!);
  expect(noticeOf(page.body)).toMatch(/^Your password is changed\./);

  expect((await other.request("/account")).status).toBe(303);
  expect((await signIn(tessera, person.email, person.password)).hop.status).toBe(401);
  expect((await signIn(tessera, person.email, newPassword)).hop.location).toMatch(/\/demo\/callback\?code=/);

  const mail = await mailAfter(tessera, mark, { to: person.email, subject: "Your Tessera password was changed" });
  expect(mail.text).toContain("changed");
  const types = await eventually(async () => {
    const records = await tessera.db.prisma.auditRecord.findMany({ where: { accountId }, select: { type: true, detail: true } });
    const found = records.map((record) => record.type);
    return found.includes("account.password-changed") && found.includes("account.sessions-ended") && records;
  }, 5000, "the change in the audit trail");
  expect(types).toEqual(expect.arrayContaining([expect.objectContaining({ type: "account.sessions-ended", detail: expect.objectContaining({ reason: "password-change" }) })]));
});

test("refusals: the message next to its field, nothing changed; a wrong current password is audited and throttled", async () => {
  const { session, person } = await signUp(tessera);
  const accountId = await accountIdOf(tessera, person.email);

  const empty = await change(session, "", "");
  expect(empty.status).toBe(400);
  expect(fieldErrorOf(empty.body, "current_password")).toBe("Enter your current password.");
  expect(fieldErrorOf(empty.body, "new_password")).toBe("Enter a new password.");

  const common = await change(session, person.password, "password123");
  expect(common.status).toBe(400);
  expect(fieldErrorOf(common.body, "new_password")).toMatch(/one of the most common passwords/);
  expect(fieldErrorOf(common.body, "current_password")).toBeUndefined();
  // Password fields never come back filled in.
  expect(common.body).not.toContain(person.password);

  for (let i = 0; i < 3; i++) {
    const wrong = await change(session, "not my password", "another fine passphrase");
    expect(wrong.status).toBe(401);
    expect(fieldErrorOf(wrong.body, "current_password")).toBe("That is not your current password.");
  }
  const throttled = await change(session, person.password, "another fine passphrase");
  expect(throttled.status).toBe(429);
  expect(throttled.headers?.get("retry-after")).toBeTruthy();
  expect(throttled.body).toContain("Too many failed sign-in attempts.");

  await eventually(async () => (await tessera.db.prisma.auditRecord.count({ where: { accountId, type: "account.password-change-failed" } })) === 3, 5000, "three refused changes in the audit trail");
  expect((await signIn(tessera, person.email, person.password)).hop.location).toMatch(/\/demo\/callback\?code=/);
});
