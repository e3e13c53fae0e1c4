/**
 * "Forgot your password?" end to end, through the real pages and the real mailbox: the
 * answer never reveals whether an address has an account, the link sets a new password
 * once, the old password and the account's other sessions stop working.
 */
import { BrowserSession, type Hop, interactionPath } from "../support/browser-session.js";
import { movableClock } from "../support/clock.js";
import { startTestTessera, type TestTessera } from "../support/tessera.js";
import { confirmLinkOf, mailAfter, mailMark, mailsSince } from "../support/mailbox.js";
import { decodeEntities, fieldErrorOf, h1Of, textOf } from "../support/page-text.js";
import { demoAuthorizeUrl } from "../support/demo.js";
import { newAddress, openAccount } from "../support/account-page.js";
import { signIn, signUp } from "../support/sign-up.js";
import { jobsDone, passwordResetRequests } from "../support/jobs.js";

let tessera: TestTessera;
beforeAll(async () => {
  tessera = await startTestTessera();
});
afterAll(async () => tessera?.close());

const resetSubject = "Reset your Tessera password";

/** The main element's text, the part of the page a person reads. */
const mainText = (html: string) => textOf(/<main[^>]*>([\s\S]*?)<\/main>/.exec(html)?.[1] ?? html);

/** Opens the login page of a demo sign-in and follows its "Forgot your password?" link. */
async function forgotPasswordFromLogin(t: TestTessera, session: BrowserSession): Promise<{ login: Hop; forgot: Hop; interaction: string }> {
  const login = await session.follow(demoAuthorizeUrl(t));
  expect(h1Of(login.body)).toBe("Sign in");
  const href = /<a href="([^"]*)">Forgot your password\?<\/a>/.exec(login.body)?.[1];
  expect(href).toBeDefined();
  const forgot = await session.request(decodeEntities(href!));
  expect(forgot.status).toBe(200);
  expect(h1Of(forgot.body)).toBe("Reset your password");
  const interaction = /<input type="hidden" name="interaction" value="([^"]*)">/.exec(forgot.body)?.[1];
  expect(`/interaction/${interaction}`).toBe(interactionPath(login));
  return { login, forgot, interaction: interaction! };
}

function askForLink(session: BrowserSession, email: string, interaction?: string) {
  return session.request("/password/forgot", { form: { email, ...(interaction ? { interaction } : {}) } });
}

test("the whole reset: same answer for unknown addresses, one-time link, old password and other sessions end", async () => {
  // Someone with an account, signed in in another browser before the reset.
  const { session: otherBrowser, person } = await signUp(tessera);
  await openAccount(otherBrowser);
  const newPassword = "a brand new passphrase";

  const session = new BrowserSession(tessera.issuer);
  const { interaction } = await forgotPasswordFromLogin(tessera, session);

  // An unknown address and a known one get the same page.
  const unknown = newAddress("nobody");
  const mark = mailMark(tessera);
  const unknownHop = await askForLink(session, unknown, interaction);
  const knownHop = await askForLink(session, person.email, interaction);
  expect(unknownHop.status).toBe(200);
  expect(knownHop.status).toBe(200);
  expect(h1Of(unknownHop.body)).toBe("Check your email");
  expect(mainText(unknownHop.body).replace(unknown, "ADDRESS")).toBe(mainText(knownHop.body).replace(person.email, "ADDRESS"));
  expect(mainText(knownHop.body)).toContain(`If ${person.email} belongs to a Tessera account, a link to choose a new password is on its way.`);
  // A way back to the sign-in the reset was asked from.
  expect(knownHop.body).toContain(`<a href="/interaction/${interaction}">Back to sign in</a>`);

  // Only the known address gets mail.
  const mail = await mailAfter(tessera, mark, { to: person.email, subject: resetSubject });
  expect(mail.text).toContain("To choose a new password, open this link within 1 hour");
  await jobsDone(tessera, passwordResetRequests); // every mail that was queued has gone out by now
  expect(mailsSince(tessera, mark, unknown)).toEqual([]);
  expect(await tessera.db.prisma.job.count({ where: { kind: "mail.send", payload: { path: ["to"], equals: unknown } } })).toBe(0);

  // The link shows the form.
  const link = confirmLinkOf(mail);
  const form = await session.request(link);
  expect(form.status).toBe(200);
  expect(h1Of(form.body)).toBe("Choose a new password");

  // Too short: the form again, the message under the field; the link still works.
  const short = await session.request(link, { form: { password: "short" } });
  expect(short.status).toBe(400);
  expect(h1Of(short.body)).toBe("Choose a new password");
  expect(fieldErrorOf(short.body, "password")).toBe("Use at least 8 characters.");
  expect(short.body).toMatch(/<input id="password" name="password" type="password"[^>]*aria-invalid="true"/);
  expect(short.body).toContain("<title>Error: Choose a new password · Tessera</title>");
  const again = await session.request(link);
  expect(again.status).toBe(200);
  expect(h1Of(again.body)).toBe("Choose a new password");

  // A good password: "Password changed", with the way back to the sign-in that was waiting.
  const changed = await session.request(link, { form: { password: newPassword } });
  expect(changed.status).toBe(200);
  expect(h1Of(changed.body)).toBe("Password changed");
  expect(changed.body).toContain(`href="/interaction/${interaction}"`);

  // The other browser's session is over: its account page sends it to sign in.
  const otherAccount = await otherBrowser.request("/account");
  expect(otherAccount.status).toBe(303);
  const signInUrl = new URL(otherAccount.location!);
  expect(signInUrl.pathname).toBe("/auth");
  expect(signInUrl.searchParams.get("client_id")).toBe("tessera-account");
  expect(h1Of((await otherBrowser.follow("/account")).body)).toBe("Sign in");

  // The old password no longer signs in; the new one does, continuing the waiting sign-in.
  expect((await signIn(tessera, person.email, person.password)).hop.status).toBe(401);
  const resumed = await session.follow(`/interaction/${interaction}`);
  expect(h1Of(resumed.body)).toBe("Sign in");
  let signedIn = await session.follow(`/interaction/${interaction}/login`, { form: { email: person.email, password: newPassword } });
  // This browser never consented to the demo client: it asks, like any new session.
  if (signedIn.status === 200 && signedIn.body.includes('/consent"')) {
    signedIn = await session.follow(`${interactionPath(signedIn)}/consent`, { form: { decision: "allow" } });
  }
  expect(signedIn.location).toMatch(new RegExp(`^${tessera.issuer}/demo/callback\\?code=`));

  // The link works once.
  const reuse = await new BrowserSession(tessera.issuer).request(link, { form: { password: "yet another passphrase" } });
  expect(reuse.status).toBe(410);
  expect(h1Of(reuse.body)).toBe("This link was already used");
  expect((await new BrowserSession(tessera.issuer).request(link)).status).toBe(410);
  expect((await signIn(tessera, person.email, "yet another passphrase")).hop.status).toBe(401);
  expect((await signIn(tessera, person.email, newPassword)).hop.location).toMatch(/\/demo\/callback\?code=/);
});

test("resetting from the account page ends the other sessions but, as the pages promise, not this browser's", async () => {
  const { session: laptop, person } = await signUp(tessera);
  const { session: phone } = await signIn(tessera, person.email, person.password);
  await openAccount(phone);

  // The account page links to the form with the address filled in.
  const account = await openAccount(laptop);
  const href = /<a href="(\/password\/forgot[^"]*)">Ask for a reset link<\/a>/.exec(account.body)?.[1];
  const forgot = await laptop.request(decodeEntities(href!));
  expect(forgot.body).toMatch(new RegExp(`<input id="email" name="email" type="email"\\s+value="${person.email.replace(/\./g, "\\.")}"`));
  const mark = mailMark(tessera);
  expect((await askForLink(laptop, person.email)).status).toBe(200);
  const link = confirmLinkOf(await mailAfter(tessera, mark, { to: person.email, subject: resetSubject }));
  const form = await laptop.request(link);
  expect(mainText(form.body)).toContain("After this, you are signed out on every other device.");
  const changed = await laptop.request(link, { form: { password: "another good passphrase" } });
  expect(h1Of(changed.body)).toBe("Password changed");
  expect(mainText(changed.body)).toContain("you have been signed out everywhere else.");

  expect((await phone.request("/account")).status).toBe(303);
  const here = await laptop.request("/account");
  expect(here.status).toBe(200);
  expect(h1Of(here.body)).toBe("Your account");
});

test("asking twice within a minute answers the same page as always (no hint that the account exists), and sends one mail", async () => {
  const { person } = await signUp(tessera);
  const session = new BrowserSession(tessera.issuer);
  await forgotPasswordFromLogin(tessera, session);
  const mark = mailMark(tessera);
  expect((await askForLink(session, person.email)).status).toBe(200);
  const second = await askForLink(session, person.email);
  const unknown = await askForLink(session, `nobody.${Date.now()}@example.test`);
  expect(second.status).toBe(200);
  expect(h1Of(second.body)).toBe("Check your email");
  expect(mainText(second.body).replace(person.email, "ADDRESS")).toBe(mainText(unknown.body).replace(/nobody\.\d+@example\.test/, "ADDRESS"));
  await mailAfter(tessera, mark, { to: person.email, subject: resetSubject });
  await jobsDone(tessera, passwordResetRequests);
  expect(mailsSince(tessera, mark, person.email)).toHaveLength(1);
});

describe("with a movable clock", () => {
  let timed: TestTessera;
  const clock = movableClock();
  beforeAll(async () => {
    timed = await startTestTessera({ clock });
  });
  afterAll(async () => timed?.close());

  test("after a minute another link may be asked for; an hour-old link has expired and offers a new one", async () => {
    const { person } = await signUp(timed);
    const session = new BrowserSession(timed.issuer);
    const mark = mailMark(timed);
    expect((await askForLink(session, person.email)).status).toBe(200);
    expect((await askForLink(session, person.email)).status).toBe(200);
    await jobsDone(timed, passwordResetRequests);
    expect(mailsSince(timed, mark, person.email)).toHaveLength(1);
    clock.advance(61);
    expect((await askForLink(session, person.email)).status).toBe(200);
    const newest = await timed.mailbox.waitForMail(
      (mail) => timed.mailbox.messages.indexOf(mail) >= mark && mail.subject === resetSubject && mailsSince(timed, mark, person.email).filter((m) => m.subject === resetSubject).length === 2,
      8000,
    );
    const links = mailsSince(timed, mark, person.email).map(confirmLinkOf);
    expect(links).toHaveLength(2);
    expect(links).toContain(confirmLinkOf(newest));

    // The first link was replaced by the second.
    const replaced = await session.request(links[0]!);
    expect(replaced.status).toBe(410);
    expect(h1Of(replaced.body)).toBe("A newer link replaced this one");

    // An hour later the newest has expired; the page offers a new one, which arrives.
    clock.advance(61 * 60);
    const expired = await session.request(links[1]!);
    expect(expired.status).toBe(410);
    expect(h1Of(expired.body)).toBe("This link has expired");
    const resendAction = /<form method="post" action="([^"]*\/resend)"/.exec(expired.body)?.[1];
    expect(resendAction).toBe(`${new URL(links[1]!).pathname}/resend`);
    const resendMark = mailMark(timed);
    const resent = await session.request(resendAction!, { form: {} });
    expect(resent.status).toBe(200);
    expect(h1Of(resent.body)).toBe("Check your email");
    const fresh = await mailAfter(timed, resendMark, { to: person.email, subject: resetSubject });
    expect(h1Of((await session.request(confirmLinkOf(fresh))).body)).toBe("Choose a new password");
  });
});
