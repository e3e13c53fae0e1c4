/**
 * The audit trail through real HTTP (ASVS 5.0 16.3.1, 6.3.7): every kind of security event a
 * person causes is recorded once, with the IP address the proxy forwarded and the browser's
 * user agent; no record holds a password, link key or cookie; the account page shows them in
 * plain words, newest first; password and primary-address changes are mailed (to the old
 * address too); and a change that rolls back leaves no record.
 */
import { createEventLog, createJobRepository, createJobRunner } from "../../src/jobs/index.js";
import { recordAuditTrail } from "../../src/security/index.js";
import { createLogger, runWithRequestContext, systemClock } from "../../src/shared/index.js";
import { accountIdOf, newAddress, openAccount, rowFor } from "../support/account-page.js";
import { BrowserSession, newPerson } from "../support/browser-session.js";
import { confirmLinkOf, keyOf, mailAfter, mailMark } from "../support/mailbox.js";
import { formById, textOf } from "../support/page-text.js";
import { signIn, signUp } from "../support/sign-up.js";
import { startTestTessera, type TestTessera } from "../support/tessera.js";

// Generous: the set-up and the walk through every page take minutes on a busy machine.
const timeout = 300_000;
const ip = "203.0.113.7";
const userAgent = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";
// As a reverse proxy adds it; Tessera trusts it because TRUST_PROXY is set.
const headers = { "user-agent": userAgent, "x-forwarded-for": ip };

let tessera: TestTessera;
beforeAll(async () => {
  tessera = await startTestTessera({ env: { TRUST_PROXY: "true" } });
}, timeout);
afterAll(async () => tessera?.close());

const browser = () => new BrowserSession(tessera.issuer, headers);

function activityRows(html: string): { what: string; text: string }[] {
  const panel = /<section class="panel" aria-labelledby="activity-heading">([\s\S]*?)<\/section>/.exec(html)?.[1];
  if (!panel) throw new Error(`no activity panel:\n${html.slice(0, 1500)}`);
  return [...panel.matchAll(/<li>\s*<div class="row-main">([\s\S]*?)<\/div>/g)].map(([, main]) => ({
    what: textOf(/<span class="row-title">([\s\S]*?)<\/span>/.exec(main!)?.[1] ?? ""),
    text: textOf(main!),
  }));
}

test(
  "each security event is recorded once with IP and user agent, shown on the account page, mailed when it must be, and never with a secret",
  async () => {
    const person = newPerson();
    const secrets: string[] = [person.password];
    const session = browser();
    let mark = mailMark(tessera);
    await signUp(tessera, person, session);
    const accountId = await accountIdOf(tessera, person.email);
    secrets.push(keyOf(confirmLinkOf(await mailAfter(tessera, mark, { to: person.email, subject: "Confirm your email address" }))));

    // A wrong password, and an address nobody has: both refused, both recorded.
    const wrongPassword = "not the right one at all";
    const unknown = newAddress("nobody");
    const unknownPassword = "a guess for nobody";
    secrets.push(wrongPassword, unknownPassword);
    expect((await signIn(tessera, person.email, wrongPassword, browser())).hop.status).toBe(401);
    expect((await signIn(tessera, unknown, unknownPassword, browser())).hop.status).toBe(401);
    // A password typed into the email field is not kept as the identifier.
    expect((await signIn(tessera, "hunter2-typed-in-the-wrong-field", unknownPassword, browser())).hop.status).toBe(401);
    secrets.push("hunter2-typed-in-the-wrong-field");
    expect(await tessera.db.prisma.email.count({ where: { normalized: unknown } })).toBe(0);
    expect(await tessera.db.prisma.user.count()).toBe(1);

    // A second browser signs in to the demo client.
    const other = browser();
    expect((await signIn(tessera, person.email, person.password, other)).hop.location).toMatch(/\/demo\/callback\?code=/);

    // Add an address, confirm it, make it primary, remove the old one.
    const second = newAddress("second");
    mark = mailMark(tessera);
    await session.follow("/account/emails", { form: { email: second } });
    const addLink = confirmLinkOf(await mailAfter(tessera, mark, { to: second, subject: "Confirm your new email address" }));
    secrets.push(keyOf(addLink));
    await session.request(addLink);
    await session.follow(addLink, { form: {} });
    let page = await openAccount(session);
    mark = mailMark(tessera);
    await session.follow(`/account/emails/${rowFor(page.body, second)!.id}/primary`, { form: {} });
    // ASVS 6.3.7: the old address hears of it as well as the new one.
    for (const to of [person.email, second]) {
      const notice = await mailAfter(tessera, mark, { to, subject: "The email address of your Tessera account was changed" });
      expect(notice.text).toContain(`changed from ${person.email} to ${second}`);
      expect(notice.text).toContain(`from IP address ${ip}, Firefox on Linux`);
      expect(notice.links.some((link) => link.startsWith(`${tessera.issuer}/password/forgot?email=`))).toBe(true);
    }
    page = await openAccount(session);
    await session.follow(`/account/emails/${rowFor(page.body, person.email)!.id}/remove`, { form: {} });

    // Revoke the demo client; sign the other browser out from the page.
    await session.follow("/account/applications/demo/revoke", { form: {} });
    page = await openAccount(session);
    const endAction = /action="(\/account\/sessions\/[^"]+\/end)"/.exec(page.body)?.[1];
    expect(endAction).toBeDefined();
    await session.follow(endAction!, { form: {} });

    // Reset the password by link: mailed to the (new) primary address.
    const newPassword = "a brand new passphrase 42";
    secrets.push(newPassword);
    mark = mailMark(tessera);
    await session.request("/password/forgot", { form: { email: second } });
    const resetLink = confirmLinkOf(await mailAfter(tessera, mark, { to: second, subject: "Reset your Tessera password" }));
    secrets.push(keyOf(resetLink));
    expect((await session.request(resetLink, { form: { password: newPassword } })).status).toBe(200);
    const changed = await mailAfter(tessera, mark, { to: second, subject: "Your Tessera password was changed" });
    expect(changed.text).toContain("was reset with a link sent by email on");
    expect(changed.text).toContain(`from IP address ${ip}, Firefox on Linux`);
    expect(changed.text).toContain("If it was not you");
    expect(changed.links).toContain(`${tessera.issuer}/password/forgot?email=${encodeURIComponent(second)}`);

    // The page: plain words, newest first, when and from where.
    page = await openAccount(session);
    const rows = activityRows(page.body);
    expect(rows.map((row) => row.what)).toEqual([
      "Signed out everywhere else after the password reset",
      "Password reset by email link",
      "Another session signed out from the account page",
      "Access revoked for Tessera demo",
      `Email address ${person.email} removed`,
      `Primary email changed from ${person.email} to ${second}`,
      `Email address ${second} confirmed`,
      `Email address ${second} added`,
      // Each browser's sign-in to the demo client asked for consent once.
      "Allowed Tessera demo access (openid, profile, email)",
      "Signed in with your password (for Tessera demo)",
      "Failed sign-in: wrong password (for Tessera demo)",
      "Allowed Tessera demo access (openid, profile, email)",
      // The registration link proved the address before the account existed.
      `Email address ${person.email} confirmed`,
      `Account created with ${person.email}`,
    ]);
    for (const row of rows) expect(row.text).toContain(`Firefox on Linux · IP address ${ip}`);
    expect(textOf(page.body)).toContain("this record is kept for 365 days");
    expect(page.body).not.toContain(unknown);

    // Sign out of Tessera in this browser.
    const logout = await session.follow("/session/end");
    const form = formById(logout.body, "op.logoutForm");
    expect((await session.follow(form.action, { form: { ...form.fields, logout: "yes" } })).status).toBe(200);
    secrets.push(...session.cookieHeader.split("; ").map((cookie) => cookie.split("=")[1]!).filter((value) => value.length > 8));
    secrets.push(...other.cookieHeader.split("; ").map((cookie) => cookie.split("=")[1]!).filter((value) => value.length > 8));

    // Delete the account, signed in again with the new password.
    const last = browser();
    await signIn(tessera, second, newPassword, last);
    await last.follow("/account/delete", { form: { confirmation: second } });
    expect(await tessera.db.prisma.user.count({ where: { id: accountId } })).toBe(0);

    const records = await tessera.db.prisma.auditRecord.findMany({ orderBy: [{ occurredAt: "asc" }, { sequence: "asc" }] });
    const ofAccount = records.filter((record) => record.accountId === accountId);
    const count = (type: string) => ofAccount.filter((record) => record.type === type).length;
    expect(Object.fromEntries([...new Set(ofAccount.map((record) => record.type))].map((type) => [type, count(type)]))).toEqual({
      "account.registered": 1,
      "account.email-verified": 2,
      "account.primary-email-changed": 1,
      "account.sign-in-failed": 1,
      "account.signed-in": 2,
      "account.email-added": 1,
      "account.email-removed": 1,
      "account.application-revoked": 1,
      // Two browsers' first sign-ins, and the last one's after the demo client was revoked.
      "account.application-consent-given": 3,
      "account.sessions-ended": 2,
      "account.password-changed": 1,
      "account.signed-out": 1,
      "account.deleted": 1,
    });
    expect(ofAccount.find((record) => record.type === "account.signed-in")).toMatchObject({ clientId: "demo", detail: { method: "password" } });
    expect(ofAccount.find((record) => record.type === "account.sign-in-failed")).toMatchObject({ clientId: "demo", detail: { reason: "wrong-password", identifier: person.email.toLowerCase() } });
    const strangers = records.filter((record) => record.type === "account.sign-in-failed" && record.accountId === null);
    expect(strangers.map((record) => record.detail)).toEqual([
      { method: "password", reason: "unknown-account", identifier: unknown },
      { method: "password", reason: "unknown-account" },
    ]);
    for (const record of [...ofAccount, ...strangers]) expect(record).toMatchObject({ ip, userAgent, operator: null });

    // No record, and no domain event behind one, carries a secret that passed through.
    const stored = JSON.stringify([records, await tessera.db.prisma.domainEvent.findMany()], (_key, value: unknown) => (typeof value === "bigint" ? String(value) : value));
    for (const secret of secrets) expect(stored).not.toContain(secret);
  },
  timeout,
);

test("a change that rolls back leaves no audit record; one that commits leaves exactly one", async () => {
  const { prisma } = tessera.db;
  const jobs = createJobRunner({ repo: createJobRepository(prisma), clock: systemClock, log: createLogger({ level: "silent", pretty: false }), listen: tessera.db.listen, pollSeconds: 3600 });
  const events = createEventLog({ jobs, clock: systemClock });
  recordAuditTrail(events);
  const accountId = "00000000-0000-4000-8000-00000000abcd";
  await runWithRequestContext({ ip, userAgent }, async () => {
    await expect(
      prisma.$transaction(async (tx) => {
        await tx.user.create({ data: { id: accountId, name: "Rolled Back" } });
        await events.record(tx, { type: "account.name-changed", accountId, name: "Rolled Back" });
        throw new Error("the change fails after the event");
      }),
    ).rejects.toThrow("the change fails after the event");
    expect(await prisma.auditRecord.count({ where: { accountId } })).toBe(0);
    await prisma.$transaction((tx) => events.record(tx, { type: "account.name-changed", accountId, name: "Committed" }));
  });
  expect(await prisma.auditRecord.findMany({ where: { accountId }, select: { type: true, detail: true, ip: true, userAgent: true } })).toEqual([
    { type: "account.name-changed", detail: { name: "Committed" }, ip, userAgent },
  ]);
});
