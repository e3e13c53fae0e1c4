/**
 * The account page's panels through real HTTP: edit the name; withdraw the consent given to
 * an organisation (its sites ask again); revoke a connected application (its tokens and
 * codes stop working at once); sign another session out; delete the account (and a wrong
 * confirmation that deletes nothing). Each action is checked on the page, where the user
 * sees it, and where it matters (userinfo, introspection, the next sign-in).
 */
import { BrowserSession, type Hop, interactionPath } from "../support/browser-session.js";
import { codeClient, registerClient, rpRedirectUri, type ClientMetadata } from "../support/clients.js";
import { startTestTessera, type TestTessera } from "../support/tessera.js";
import { accountIdOf, openAccount } from "../support/account-page.js";
import { confirmLinkOf, mailAfter, mailMark } from "../support/mailbox.js";
import { demoAuthorizeUrl, demoSecret } from "../support/demo.js";
import { fieldErrorOf, h1Of, inputValueOf, noticeOf, textOf } from "../support/page-text.js";
import { freshUserinfo } from "../support/code-exchange.js";
import { rawPost } from "../support/raw-post.js";
import { signIn, signUp } from "../support/sign-up.js";

let tessera: TestTessera;
beforeAll(async () => {
  tessera = await startTestTessera();
});
afterAll(async () => tessera?.close());

// --- reading the page ---------------------------------------------------------------

interface PanelRow {
  title: string;
  /** All the row's visible text but its buttons. */
  text: string;
  /** Where its form posts, if it has one. */
  action?: string;
  /** Where its link goes, if it has one instead. */
  link?: string;
  /** The <time datetime> values in the row. */
  times: string[];
}

function panelOf(html: string, headingId: string): string {
  const match = new RegExp(`<section class="panel[^"]*" aria-labelledby="${headingId}">([\\s\\S]*?)</section>`).exec(html);
  if (!match) throw new Error(`no panel ${headingId} on the page:\n${html.slice(0, 1500)}`);
  return match[1]!;
}

function panelRows(html: string, headingId: string): PanelRow[] {
  return [...panelOf(html, headingId).matchAll(/<li>\s*<div class="row-main">([\s\S]*?)<\/div>([\s\S]*?)<\/li>/g)].map(([, main, actions]) => ({
    title: textOf(/<span class="row-title">([\s\S]*?)<\/span>/.exec(main!)?.[1] ?? ""),
    text: textOf(main!),
    action: /action="([^"]+)"/.exec(actions!)?.[1],
    link: /href="([^"]+)"/.exec(actions!)?.[1]?.replace(/&amp;/g, "&"),
    times: [...main!.matchAll(/<time datetime="([^"]+)">/g)].map((m) => m[1]!),
  }));
}

const day = new Intl.DateTimeFormat("en-GB", { dateStyle: "long", timeZone: "UTC" });

/** A <time> printed for a moment within the last few minutes. */
function expectRecent(iso: string | undefined) {
  expect(iso).toBeDefined();
  expect(Date.now() - new Date(iso!).getTime()).toBeLessThan(5 * 60_000);
}

// --- talking to the token endpoints as the demo client ------------------------------

const demoAuth = `Basic ${Buffer.from(`demo:${demoSecret}`).toString("base64")}`;

async function tokenRequest(form: Record<string, string>): Promise<{ status: number; body: Record<string, string> }> {
  const response = await fetch(new URL("/token", tessera.issuer), {
    method: "POST",
    headers: { authorization: demoAuth, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(form).toString(),
  });
  return { status: response.status, body: (await response.json()) as Record<string, string> };
}

function codeOf(hop: Hop): string {
  const code = hop.location ? new URL(hop.location).searchParams.get("code") : null;
  if (!code) throw new Error(`no code: ${hop.status} ${hop.url} ${hop.location ?? ""}\n${hop.body.slice(0, 1500)}`);
  return code;
}

const redeem = (code: string) => tokenRequest({ grant_type: "authorization_code", code, redirect_uri: `${tessera.issuer}/demo/callback` });

async function userinfoStatus(accessToken: string): Promise<number> {
  return (await fetch(new URL("/me", tessera.issuer), { headers: { authorization: `Bearer ${accessToken}` } })).status;
}

async function introspect(token: string): Promise<Record<string, unknown>> {
  const response = await fetch(new URL("/token/introspection", tessera.issuer), {
    method: "POST",
    headers: { authorization: demoAuth, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ token }).toString(),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as Record<string, unknown>;
}

/** Runs the demo client's authorization in `session`, allowing consent if asked, and answers the code. */
async function demoCode(session: BrowserSession, extra: Record<string, string> = {}): Promise<string> {
  let hop = await session.follow(demoAuthorizeUrl(tessera, extra));
  if (hop.status === 200 && hop.body.includes('/consent"')) hop = await session.follow(`${interactionPath(hop)}/consent`, { form: { decision: "allow" } });
  return codeOf(hop);
}

/** Signs in on /account itself (Tessera's own account client) in a new browser. */
async function signInToAccount(email: string, password: string): Promise<BrowserSession> {
  const session = new BrowserSession(tessera.issuer);
  const login = await session.follow("/account");
  expect(h1Of(login.body)).toBe("Sign in");
  const hop = await session.follow(`${interactionPath(login)}/login`, { form: { email, password } });
  expect(new URL(hop.url).pathname).toBe("/account");
  expect(hop.status).toBe(200);
  return session;
}

/** Where /account takes `session`: the account page, or the sign-in page. */
async function accountOrSignIn(session: BrowserSession): Promise<string | undefined> {
  return h1Of((await session.follow("/account")).body);
}

// --- the panels -----------------------------------------------------------------------

describe("profile", () => {
  test("a refused name shows the message next to the field with the input kept; a valid one is saved and reaches userinfo", async () => {
    const { session, person } = await signUp(tessera);
    const accountId = await accountIdOf(tessera, person.email);
    const page = await openAccount(session);
    expect(inputValueOf(page.body, "name")).toBe(person.name);
    expect(panelOf(page.body, "profile-heading")).toContain('<label for="name">Name</label>');

    const blank = await session.follow("/account/profile", { form: { name: "   " } });
    expect(blank.status).toBe(400);
    expect(fieldErrorOf(blank.body, "name")).toBe("Enter your name.");
    expect(inputValueOf(blank.body, "name")).toBe("   ");
    expect(blank.body).toMatch(/<input id="name" name="name"[^>]*autofocus[^>]*aria-invalid="true"[^>]*aria-describedby="name-hint name-error"/);
    expect(blank.body).toContain("<title>Error: Your account · Tessera</title>");

    const long = "N".repeat(201);
    const tooLong = await session.follow("/account/profile", { form: { name: long } });
    expect(tooLong.status).toBe(400);
    expect(fieldErrorOf(tooLong.body, "name")).toBe("Use at most 200 characters.");
    expect(inputValueOf(tooLong.body, "name")).toBe(long);
    expect((await tessera.db.prisma.user.findUniqueOrThrow({ where: { id: accountId } })).name).toBe(person.name);
    // The other forms are left alone by a profile error.
    expect(fieldErrorOf(tooLong.body, "email")).toBeUndefined();

    // Post/redirect/get: the change answers 303 to /account, which says what happened once.
    const posted = await session.request("/account/profile", { form: { name: "  Ada <Renamed> Lovelace " } });
    expect(posted.status).toBe(303);
    expect(posted.location).toBe(`${tessera.issuer}/account`);
    const saved = await session.follow(posted.location!);
    expect((await session.follow("/account")).body).not.toContain('class="notice"');
    expect(saved.status).toBe(200);
    expect(noticeOf(saved.body)).toBe("Your name is now Ada <Renamed> Lovelace. Applications see it the next time they ask for your details.");
    expect(textOf(saved.body)).toContain(`Signed in as Ada <Renamed> Lovelace (${person.email}).`);
    expect(inputValueOf(saved.body, "name")).toBe("Ada <Renamed> Lovelace");
    expect(saved.body).not.toContain("<Renamed>");
    expect(fieldErrorOf(saved.body, "name")).toBeUndefined();
    expect(inputValueOf((await openAccount(session)).body, "name")).toBe("Ada <Renamed> Lovelace");
    expect(await freshUserinfo(tessera, session)).toEqual(expect.objectContaining({ sub: accountId, name: "Ada <Renamed> Lovelace" }));
  });
});

describe("organisations you share your data with", () => {
  function organisationUrl(client: ClientMetadata) {
    return `/auth?${new URLSearchParams({ client_id: client.client_id, response_type: "code", scope: "openid profile email", redirect_uri: rpRedirectUri, state: "org" })}`;
  }

  test("lists the consent given at sign-in; Withdraw removes it and the organisation's sites ask again", async () => {
    const slug = `acme-${Date.now()}`;
    const acme = await tessera.db.prisma.organisation.create({
      data: { slug, name: "Acme Corporation", requireConsent: true, privacyPolicyUrl: "https://acme.example/privacy" },
    });
    const initech = await tessera.db.prisma.organisation.create({ data: { slug: `${slug}-i`, name: "Initech", requireConsent: true } });
    const shop = await registerClient(tessera, codeClient({ client_name: "Acme Shop" }), { organisationId: acme.id, firstParty: true });
    const forum = await registerClient(tessera, codeClient({ client_name: "Acme Forum" }), { organisationId: acme.id, firstParty: true });
    const printer = await registerClient(tessera, codeClient({ client_name: "Initech Print" }), { organisationId: initech.id, firstParty: true });
    const { session, person } = await signUp(tessera);
    const accountId = await accountIdOf(tessera, person.email);

    let page = await openAccount(session);
    expect(panelRows(page.body, "organisations-heading")).toEqual([]);
    expect(textOf(panelOf(page.body, "organisations-heading"))).toContain("You do not share your data with any organisation.");

    // Sign in to a site of each organisation, allowing the organisation each time.
    for (const client of [shop, printer]) {
      const asked = await session.follow(organisationUrl(client));
      expect(h1Of(asked.body)).toMatch(/^Share your data with /);
      const allowed = await session.follow(`${interactionPath(asked)}/consent`, { form: { decision: "allow" } });
      expect(allowed.location).toMatch(/^https:\/\/rp\.example\.test\/cb\?code=/);
    }

    page = await openAccount(session);
    const rows = panelRows(page.body, "organisations-heading");
    expect(rows.map((row) => row.title)).toEqual(["Acme Corporation", "Initech"]);
    const [acmeRow, initechRow] = rows;
    expectRecent(acmeRow!.times[0]);
    expect(acmeRow!.text).toBe(`Acme Corporation Since ${day.format(new Date(acmeRow!.times[0]!))} · Privacy policy of Acme Corporation`);
    expect(panelOf(page.body, "organisations-heading")).toContain('<a href="https://acme.example/privacy" rel="noopener noreferrer">Privacy policy');
    expect(initechRow!.text).not.toContain("Privacy policy");
    expect(acmeRow!.action).toBe(`/account/organisations/${acme.id}/withdraw`);
    expect(panelOf(page.body, "organisations-heading")).toContain("Withdraw<span class=\"visually-hidden\"> consent for Acme Corporation</span>");

    const acmeClients = (await tessera.db.prisma.client.findMany({ where: { organisationId: acme.id }, select: { id: true } })).map((row) => row.id);
    const acmeGrants = async () =>
      (await tessera.db.prisma.oidcModel.findMany({ where: { model: "Grant", payload: { path: ["accountId"], equals: accountId } } })).filter((grant) =>
        acmeClients.includes((grant.payload as { clientId: string }).clientId),
      );
    expect((await acmeGrants()).length).toBeGreaterThan(0);
    const withdrawn = await session.follow(acmeRow!.action!, { form: {} });
    expect(withdrawn.status).toBe(200);
    // Acme's sites lost their access at once: no grant of theirs is left.
    expect(await acmeGrants()).toEqual([]);
    expect(noticeOf(withdrawn.body)).toBe("You no longer share your data with Acme Corporation. Its sites lost access and will ask you again the next time you sign in to one of them.");
    expect(panelRows(withdrawn.body, "organisations-heading").map((row) => row.title)).toEqual(["Initech"]);
    const consent = await tessera.db.prisma.organisationConsent.findUniqueOrThrow({ where: { userId_organisationId: { userId: accountId, organisationId: acme.id } } });
    expect(consent.withdrawnAt).not.toBeNull();

    // Withdrawing again (a second tab, a reload) changes nothing and says so.
    const again = await session.follow(acmeRow!.action!, { form: {} });
    expect(again.status).toBe(404);
    expect(noticeOf(again.body)).toBe("You do not share your data with that organisation, so there is nothing to withdraw.");
    expect(await tessera.db.prisma.organisationConsent.findUniqueOrThrow({ where: { userId_organisationId: { userId: accountId, organisationId: acme.id } } })).toEqual(consent);

    // Any of Acme's sites asks again; Initech's do not.
    expect(h1Of((await session.follow(organisationUrl(forum))).body)).toBe("Share your data with Acme Corporation?");
    expect((await session.follow(organisationUrl(printer))).location).toMatch(/^https:\/\/rp\.example\.test\/cb\?code=/);
  });
});

describe("connected applications", () => {
  test("Revoke access ends the application's tokens and codes at once; it has to ask again", async () => {
    const { session, person, callback } = await signUp(tessera);
    const accountId = await accountIdOf(tessera, person.email);
    const first = await redeem(codeOf(callback));
    expect(first.status).toBe(200);
    // With offline_access (which needs prompt=consent) the demo also gets a refresh token.
    const second = await redeem(await demoCode(session, { scope: "openid profile email offline_access", prompt: "consent" }));
    expect(second.status).toBe(200);
    expect(second.body.refresh_token).toBeTruthy();
    const unredeemed = await demoCode(session);
    expect(await userinfoStatus(first.body.access_token!)).toBe(200);
    expect(await introspect(second.body.access_token!)).toEqual(expect.objectContaining({ active: true, sub: accountId }));

    const page = await openAccount(session);
    const rows = panelRows(page.body, "applications-heading");
    expect(rows).toHaveLength(1);
    const [demo] = rows;
    expect(demo!.title).toBe("Tessera demo");
    expectRecent(demo!.times[0]);
    expect(demo!.text).toBe(
      `Tessera demo Connected since ${day.format(new Date(demo!.times[0]!))} Who you are, so it recognises you when you come back Your name Your email address, and whether it is confirmed Access while you are away, until you revoke it`,
    );
    expect(demo!.action).toBe("/account/applications/demo/revoke");

    const revoked = await session.follow(demo!.action!, { form: {} });
    expect(revoked.status).toBe(200);
    expect(noticeOf(revoked.body)).toBe("Tessera demo can no longer access your account. To use it again, sign in to it and allow it again.");
    expect(panelRows(revoked.body, "applications-heading")).toEqual([]);
    expect(textOf(panelOf(revoked.body, "applications-heading"))).toContain("No application can use your account.");

    // Every token and code of the grant is gone, at once.
    expect(await userinfoStatus(first.body.access_token!)).toBe(401);
    expect(await userinfoStatus(second.body.access_token!)).toBe(401);
    expect(await introspect(first.body.access_token!)).toEqual({ active: false });
    expect(await introspect(second.body.refresh_token!)).toEqual({ active: false });
    expect((await tokenRequest({ grant_type: "refresh_token", refresh_token: second.body.refresh_token! })).body.error).toBe("invalid_grant");
    expect((await redeem(unredeemed)).body.error).toBe("invalid_grant");
    const grantRows = await tessera.db.prisma.oidcModel.findMany({ where: { OR: [{ model: "Grant" }, { grantId: { not: null } }] } });
    expect(grantRows.filter((row) => (row.payload as { accountId?: string }).accountId === accountId)).toEqual([]);

    // Still signed in to Tessera; the demo asks for consent again, and is listed again once allowed.
    await openAccount(session);
    const asked = await session.follow(demoAuthorizeUrl(tessera));
    expect(asked.body).toContain('/consent"');
    const allowed = await session.follow(`${interactionPath(asked)}/consent`, { form: { decision: "allow" } });
    expect((await redeem(codeOf(allowed))).status).toBe(200);
    expect(panelRows((await openAccount(session)).body, "applications-heading").map((row) => row.title)).toEqual(["Tessera demo"]);

    // Revoking twice, or an application that never had access, changes nothing.
    const stale = await session.follow("/account/applications/not-a-client/revoke", { form: {} });
    expect(stale.status).toBe(404);
    expect(noticeOf(stale.body)).toBe("That application has no access to your account.");
  });

  test("one account cannot revoke another's application", async () => {
    const alice = await signUp(tessera);
    const bob = await signUp(tessera);
    const bobToken = (await redeem(codeOf(bob.callback))).body.access_token!;
    await redeem(codeOf(alice.callback));
    const revoked = await alice.session.follow("/account/applications/demo/revoke", { form: {} });
    expect(revoked.status).toBe(200);
    expect(await userinfoStatus(bobToken)).toBe(200);
    expect(panelRows((await openAccount(bob.session)).body, "applications-heading").map((row) => row.title)).toEqual(["Tessera demo"]);
  });
});

describe("active sessions", () => {
  test("lists this browser and the others; signing another out ends it and leaves this one", async () => {
    const { session: here, person } = await signUp(tessera);
    const accountId = await accountIdOf(tessera, person.email);
    const there = await signInToAccount(person.email, person.password);

    const page = await openAccount(here);
    const rows = panelRows(page.body, "sessions-heading");
    expect(rows).toHaveLength(2);
    const [current, other] = rows;
    // Where each was last used: this test's requests come from Node's fetch on loopback.
    expect(current!.text).toMatch(/^Signed in on .+ UTC This browser node · IP address 127\.0\.0\.1 · last used .+ UTC Used with Tessera demo$/);
    expectRecent(current!.times[0]);
    expect(current!.action).toBeUndefined();
    expect(current!.link).toBe(`/session/end?${new URLSearchParams({ client_id: "tessera-account" })}`);
    // The other browser signed in on /account itself: Tessera's own client is not an "application".
    expect(other!.text).toMatch(/^Signed in on \d{1,2} \w+ \d{4} at \d\d:\d\d UTC node · IP address 127\.0\.0\.1 · last used \d{1,2} \w+ \d{4} at \d\d:\d\d UTC$/);
    expect(other!.action).toMatch(/^\/account\/sessions\/[\w-]{22}\/end$/);
    expect(panelRows(page.body, "applications-heading").map((row) => row.title)).toEqual(["Tessera demo"]);
    // Session ids are the session cookies' values: the page shows neither.
    const sessionIds = (await tessera.db.prisma.oidcModel.findMany({ where: { model: "Session" } })).map((row) => row.id);
    for (const id of sessionIds) expect(page.body).not.toContain(id);

    const ended = await here.follow(other!.action!, { form: {} });
    expect(ended.status).toBe(200);
    expect(noticeOf(ended.body)).toBe("That session is signed out. The browser using it has to sign in again.");
    expect(panelRows(ended.body, "sessions-heading").map((row) => row.text.includes("This browser"))).toEqual([true]);

    expect(await accountOrSignIn(there)).toBe("Sign in");
    expect(await accountOrSignIn(here)).toBe("Your account");
    const sessions = await tessera.db.prisma.oidcModel.findMany({ where: { model: "Session", payload: { path: ["accountId"], equals: accountId } } });
    expect(sessions).toHaveLength(1);

    // Ending it again is refused with a reason.
    const again = await here.follow(other!.action!, { form: {} });
    expect(again.status).toBe(404);
    expect(noticeOf(again.body)).toBe("That session has already ended.");
  });

  test("this browser's session cannot be ended through the form, nor another account's at all", async () => {
    const alice = await signUp(tessera);
    const bob = await signUp(tessera);
    const { createHash } = await import("node:crypto");
    const handleOf = (id: string) => createHash("sha256").update(id).digest("base64url").slice(0, 22);
    const sessionsOf = async (email: string) =>
      tessera.db.prisma.oidcModel.findMany({ where: { model: "Session", payload: { path: ["accountId"], equals: await accountIdOf(tessera, email) } } });
    const [aliceSession] = await sessionsOf(alice.person.email);
    const [bobSession] = await sessionsOf(bob.person.email);

    const own = await alice.session.follow(`/account/sessions/${handleOf(aliceSession!.id)}/end`, { form: {} });
    expect(own.status).toBe(409);
    expect(noticeOf(own.body)).toBe("That is this browser's session: use Sign out to end it.");
    const foreign = await alice.session.follow(`/account/sessions/${handleOf(bobSession!.id)}/end`, { form: {} });
    expect(foreign.status).toBe(404);
    expect(await accountOrSignIn(alice.session)).toBe("Your account");
    expect(await accountOrSignIn(bob.session)).toBe("Your account");
  });
});

describe("delete account", () => {
  test("a wrong or empty confirmation shows the form again with the message next to the field, and deletes nothing", async () => {
    const { session, person, callback } = await signUp(tessera);
    const accountId = await accountIdOf(tessera, person.email);
    const token = (await redeem(codeOf(callback))).body.access_token!;
    const before = {
      user: await tessera.db.prisma.user.findUnique({ where: { id: accountId }, include: { emails: true } }),
      records: await tessera.db.prisma.oidcModel.count({ where: { payload: { path: ["accountId"], equals: accountId } } }),
    };

    const form = await session.request("/account/delete");
    expect(form.status).toBe(200);
    expect(h1Of(form.body)).toBe("Delete your account");
    expect(form.body).toContain('<label for="confirmation">Type your primary email address</label>');
    expect(textOf(form.body)).toContain(`It is ${person.email}.`);
    expect(form.body).toMatch(/<input id="confirmation" name="confirmation" type="email"[^>]*autofocus/);

    const wrong = await session.request("/account/delete", { form: { confirmation: "someone.else@example.test" } });
    expect(wrong.status).toBe(400);
    expect(h1Of(wrong.body)).toBe("Delete your account");
    expect(fieldErrorOf(wrong.body, "confirmation")).toBe(`That is not your primary email address. Type ${person.email} exactly as shown.`);
    expect(inputValueOf(wrong.body, "confirmation")).toBe("someone.else@example.test");
    expect(wrong.body).toMatch(/<input id="confirmation"[^>]*autofocus[^>]*aria-invalid="true"/);
    expect(wrong.body).toContain("<title>Error: Delete your account · Tessera</title>");

    const empty = await session.request("/account/delete", { form: {} });
    expect(empty.status).toBe(400);
    expect(fieldErrorOf(empty.body, "confirmation")).toBe("Type your primary email address to confirm.");

    // A cross-site post with the right answer is refused before it reaches the page.
    const crossSite = await rawPost(tessera, "/account/delete", { confirmation: person.email }, { cookie: session.cookieHeaderFor("/account/delete"), headers: { origin: "https://evil.example" } });
    expect(crossSite.status).toBe(403);

    expect({
      user: await tessera.db.prisma.user.findUnique({ where: { id: accountId }, include: { emails: true } }),
      records: await tessera.db.prisma.oidcModel.count({ where: { payload: { path: ["accountId"], equals: accountId } } }),
    }).toEqual(before);
    expect(await userinfoStatus(token)).toBe(200);
    expect(await accountOrSignIn(session)).toBe("Your account");
  });

  test("deleting removes the account everywhere: sessions, tokens, links; the password no longer signs in; the address can register again", async () => {
    const { session, person, callback } = await signUp(tessera);
    const accountId = await accountIdOf(tessera, person.email);
    const tokens = (await redeem(codeOf(callback))).body;
    const elsewhere = await signInToAccount(person.email, person.password);
    const acme = await tessera.db.prisma.organisation.create({ data: { slug: `acme-del-${Date.now()}`, name: "Acme", requireConsent: true } });
    await tessera.db.prisma.organisationConsent.create({ data: { userId: accountId, organisationId: acme.id, grantedAt: new Date() } });
    // A terms version only for the acceptance to cascade: removed again right after the
    // deletion, since a published version would send every later sign-up through the terms.
    await tessera.db.prisma.termsVersion.create({ data: { version: "delete-test", url: "https://tessera.example/terms", publishedAt: new Date(0) } });
    await tessera.db.prisma.termsAcceptance.create({ data: { userId: accountId, version: "delete-test", acceptedAt: new Date() } });
    // A reset link on its way when the account goes must not work afterwards.
    const mark = mailMark(tessera);
    expect((await session.request("/password/forgot", { form: { email: person.email } })).status).toBe(200);
    const resetLink = confirmLinkOf(await mailAfter(tessera, mark, { to: person.email, subject: "Reset your Tessera password" }));
    expect(await tessera.db.prisma.oidcModel.count({ where: { payload: { path: ["accountId"], equals: accountId } } })).toBeGreaterThanOrEqual(4);

    let acceptancesLeft: number | undefined;
    const deleted = await session.request("/account/delete", { form: { confirmation: `  ${person.email.toUpperCase()} ` } }).finally(async () => {
      acceptancesLeft = await tessera.db.prisma.termsAcceptance.count({ where: { userId: accountId } });
      await tessera.db.prisma.termsAcceptance.deleteMany({ where: { version: "delete-test" } });
      await tessera.db.prisma.termsVersion.delete({ where: { version: "delete-test" } });
    });
    expect(deleted.status).toBe(200);
    expect(h1Of(deleted.body)).toBe("Your account was deleted");
    expect(textOf(deleted.body)).toContain("Your Tessera account and everything in it are gone, and you are signed out everywhere.");
    expect(deleted.body).toContain('<body class="single">');

    const prisma = tessera.db.prisma;
    expect(await prisma.user.findUnique({ where: { id: accountId } })).toBeNull();
    expect(await prisma.email.count({ where: { userId: accountId } })).toBe(0);
    expect(await prisma.organisationConsent.count({ where: { userId: accountId } })).toBe(0);
    expect(acceptancesLeft).toBe(0);
    expect(await prisma.clientSignIn.count({ where: { userId: accountId } })).toBe(0);
    expect(await prisma.oidcModel.count({ where: { payload: { path: ["accountId"], equals: accountId } } })).toBe(0);

    expect(await accountOrSignIn(session)).toBe("Sign in");
    expect(await accountOrSignIn(elsewhere)).toBe("Sign in");
    expect(await userinfoStatus(tokens.access_token!)).toBe(401);
    expect(await introspect(tokens.access_token!)).toEqual({ active: false });
    expect((await new BrowserSession(tessera.issuer).request(resetLink)).status).toBe(410);

    const oldPassword = await signIn(tessera, person.email, person.password);
    expect(oldPassword.hop.status).toBe(401);
    expect(fieldErrorOf(oldPassword.hop.body, "password")).toBe("That email and password do not match an account.");

    const again = await signUp(tessera, { ...person, name: "Ada Again" });
    const newId = await accountIdOf(tessera, person.email);
    expect(newId).not.toBe(accountId);
    const page = await openAccount(again.session);
    expect(textOf(page.body)).toContain(`Signed in as Ada Again (${person.email}).`);
    expect(panelRows(page.body, "organisations-heading")).toEqual([]);
  });

  test("without a session the delete page sends to sign in and deletes nothing", async () => {
    const { person } = await signUp(tessera);
    const stranger = new BrowserSession(tessera.issuer);
    const posted = await stranger.request("/account/delete", { form: { confirmation: person.email } });
    expect(posted.status).toBe(303);
    expect(posted.location).toContain("/auth?");
    expect(await tessera.db.prisma.email.count({ where: { owned: person.email.toLowerCase() } })).toBe(1);
  });
});
