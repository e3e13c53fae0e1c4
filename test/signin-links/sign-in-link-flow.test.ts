/**
 * The whole sign-in link flow, on Tessera's side, with a real SMTP server and a relying party
 * built on openid-client: the first time (address confirmed by mail, account made, details
 * and terms confirmed, handed back through initiate_login_uri, the client's ordinary code
 * flow finishing silently) and returning (straight to the details); attaching to the account
 * that already owns the address; flows that ran out or are in another browser going back to
 * the client's entry URL; links of different clients never mixing; and cooloff and
 * organisation consent still applying after a link.
 */
import { randomUUID } from "node:crypto";
import * as oidc from "openid-client";
import { BrowserSession, type Hop } from "../support/browser-session.js";
import { rpOrigin, rpRedirectUri, type ClientMetadata } from "../support/clients.js";
import { movableClock } from "../support/clock.js";
import { confirmLinkOf, mailAfter, mailMark } from "../support/mailbox.js";
import { htmlForm } from "../support/page-text.js";
import { checks, relyingParty } from "../support/relying-party.js";
import { linkClient, linkFor } from "../support/sign-in-links.js";
import { startTestTessera, type TestTessera } from "../support/tessera.js";

const clock = movableClock();
let tessera: TestTessera;
const terms = { version: "2026-12", url: "https://tessera.example.test/terms/2026-12" };
beforeAll(async () => {
  tessera = await startTestTessera({ clock });
  await tessera.db.prisma.termsVersion.create({ data: { ...terms, publishedAt: clock.now() } });
});
afterAll(async () => tessera?.close());

const address = () => `flow.${randomUUID()}@example.test`;
const target = `${rpOrigin}/billing/plans`;

function expectRedirect(hop: Hop, status = 303): URL {
  if (hop.status !== status || !hop.location) throw new Error(`expected a ${status} redirect, got ${hop.status} at ${hop.url}:\n${hop.body.slice(0, 1500)}`);
  return new URL(hop.location);
}

const entryUrl = (client: ClientMetadata) => {
  const url = new URL(String(client.initiate_login_uri));
  url.search = new URLSearchParams({ iss: tessera.issuer, target_link_uri: target }).toString();
  return url.href;
};

/** Uses the link and, the first time, confirms `typed` by mail; answers the details page's path. */
async function reachDetails(session: BrowserSession, url: string, typed?: string): Promise<string> {
  const used = expectRedirect(await session.request(url, { form: {} }));
  if (used.pathname.endsWith("/details")) return used.pathname;
  const form = await session.request(used.href);
  expect(form.status).toBe(200);
  const mark = mailMark(tessera);
  const sent = await session.request(used.href, { form: { email: typed! } });
  expect(sent.status).toBe(200);
  expect(sent.body).toContain("Check your email");
  const link = confirmLinkOf(await mailAfter(tessera, mark, { to: typed!, subject: "Confirm your email address" }));
  expect((await session.request(link)).status).toBe(200);
  const confirmed = expectRedirect(await session.request(link, { form: {} }));
  expect(confirmed.pathname).toMatch(/\/details$/);
  return confirmed.pathname;
}

/** Confirms the details (accepting the terms when asked); answers where the browser is sent. */
async function confirmDetails(session: BrowserSession, path: string, name: string): Promise<URL> {
  const page = await session.request(path);
  expect(page.status).toBe(200);
  const version = /name="version" value="([^"]+)"/.exec(page.body)?.[1];
  return expectRedirect(await session.request(path, { form: { name, ...(version && { version, accept: "yes" }) } }));
}

/** What the relying party does at its initiate_login_uri: an ordinary code flow with the hint, redeemed with openid-client. */
async function relyingPartySignIn(session: BrowserSession, client: ClientMetadata, handBack: URL) {
  expect(handBack.origin + handBack.pathname).toBe(client.initiate_login_uri);
  expect(handBack.searchParams.get("iss")).toBe(tessera.issuer);
  expect(handBack.searchParams.get("target_link_uri")).toBe(target);
  const config = await relyingParty(tessera, client);
  const c = await checks();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: rpRedirectUri,
    scope: "openid email profile",
    code_challenge: c.codeChallenge,
    code_challenge_method: "S256",
    state: c.state,
    nonce: c.nonce,
    login_hint: handBack.searchParams.get("login_hint")!,
  });
  let hop = await session.follow(url.href);
  // Another account than the session's: the provider signs the session's out first, through
  // a form a browser submits by itself.
  if (hop.status === 200 && hop.body.includes("/session/end/confirm")) {
    const logout = htmlForm(hop.body, /session\/end\/confirm/);
    hop = await session.follow(logout.action, { form: logout.fields });
  }
  /** The ID token's claims with what /me answers for its access token. */
  const claims = async () => {
    const tokens = await oidc.authorizationCodeGrant(config, new URL(hop.location!), { pkceCodeVerifier: c.pkceCodeVerifier, expectedState: c.state, expectedNonce: c.nonce });
    const idToken = tokens.claims()!;
    return { ...idToken, ...(await oidc.fetchUserInfo(config, tokens.access_token, idToken.sub)) };
  };
  return { hop, claims };
}

describe("the first time and returning", () => {
  test("a new person confirms the address they typed, gets an account, accepts the terms and is signed in to the client; the next link goes straight to the details", async () => {
    const client = await linkClient(tessera, { policy: { firstParty: true } });
    const asked = address();
    const typed = address();
    const session = new BrowserSession(tessera.issuer);
    const details = await reachDetails(session, await linkFor(tessera, client, asked, target, "Ann Link"), typed);
    const detailsPage = await session.request(details);
    expect(detailsPage.body).toContain(typed);
    expect(detailsPage.body).toContain('value="Ann Link"');
    expect(detailsPage.body).toContain(terms.url);

    const refused = await session.request(details, { form: { name: "Ann Linked", version: terms.version } });
    expect(refused.status).toBe(400);
    expect(refused.body).toContain("Tick the box to accept the terms of service");

    const handBack = await confirmDetails(session, details, "Ann Linked");
    expect(handBack.searchParams.get("login_hint")).toBe(typed);
    const first = await relyingPartySignIn(session, client, handBack);
    expect(first.hop.location).toMatch(new RegExp(`^${rpRedirectUri}\\?code=`));
    const claims = await first.claims();
    expect(claims).toMatchObject({ email: typed, email_verified: true, name: "Ann Linked" });
    expect(await tessera.db.prisma.auditRecord.count({ where: { type: "account.signed-in", accountId: claims.sub, detail: { path: ["method"], equals: "sign-in-link" } } })).toBe(1);

    // Returning, in a fresh browser: the client has signed this person in before, so no mail.
    const mark = mailMark(tessera);
    const again = new BrowserSession(tessera.issuer);
    const returning = await reachDetails(again, await linkFor(tessera, client, typed));
    const page = await again.request(returning);
    expect(page.body).not.toContain('name="accept"');
    const second = await relyingPartySignIn(again, client, await confirmDetails(again, returning, "Ann Linked"));
    expect((await second.claims()).sub).toBe(claims.sub);
    await tessera.jobs.whenIdle();
    expect(tessera.mailbox.messages.length).toBe(mark);
  });

  test("someone whose account already owns the address, new to this client, confirms by mail and is signed in to that same account", async () => {
    const [first, second] = [await linkClient(tessera, { policy: { firstParty: true } }), await linkClient(tessera, { policy: { firstParty: true } })];
    const email = address();
    const session = new BrowserSession(tessera.issuer);
    const made = await relyingPartySignIn(session, first, await confirmDetails(session, await reachDetails(session, await linkFor(tessera, first, email), email), "Owner"));
    const owner = (await made.claims()).sub;
    const browser = new BrowserSession(tessera.issuer);
    const details = await reachDetails(browser, await linkFor(tessera, second, email), email);
    const signedIn = await relyingPartySignIn(browser, second, await confirmDetails(browser, details, "Owner"));
    expect((await signedIn.claims()).sub).toBe(owner);
    expect(await tessera.db.prisma.user.count({ where: { emails: { some: { normalized: email } } } })).toBe(1);
  });
});

describe("an address held but never confirmed", () => {
  test("is not joined: the mailed link says how to take the address over, and leaves the link usable", async () => {
    const email = address();
    await tessera.db.prisma.user.create({ data: { name: "Holder", emails: { create: { address: email, normalized: email, owned: email, primary: true } } } });
    const client = await linkClient(tessera);
    const session = new BrowserSession(tessera.issuer);
    const used = expectRedirect(await session.request(await linkFor(tessera, client, email), { form: {} }));
    expect(used.pathname).toMatch(/\/email$/);
    const mark = mailMark(tessera);
    await session.request(used.href, { form: { email } });
    const link = confirmLinkOf(await mailAfter(tessera, mark, { to: email, subject: "Confirm your email address" }));
    const refused = await session.request(link, { form: {} });
    expect(refused.status).toBe(409);
    expect(refused.body).toContain("Forgot your password?");
    expect((await session.request(link)).status).toBe(200);
    expect(await tessera.db.prisma.user.count({ where: { emails: { some: { normalized: email } } } })).toBe(1);
  });
});

describe("expired flows go back to the client's entry URL", () => {
  test("after an hour the email and details pages send the person to the entry URL with the target; the mailed link still makes the account, then does the same", async () => {
    const client = await linkClient(tessera);
    const email = address();
    const session = new BrowserSession(tessera.issuer);
    const used = expectRedirect(await session.request(await linkFor(tessera, client, email, target), { form: {} }));
    const mark = mailMark(tessera);
    await session.request(used.href, { form: { email } });
    const link = confirmLinkOf(await mailAfter(tessera, mark, { to: email, subject: "Confirm your email address" }));
    clock.advance(60 * 60 + 1);
    const details = used.pathname.replace(/\/email$/, "/details");
    for (const hop of [await session.request(used.href), await session.request(used.href, { form: { email } }), await session.request(details)]) {
      expect(expectRedirect(hop).href).toBe(entryUrl(client));
    }
    expect(expectRedirect(await session.request(link, { form: {} })).href).toBe(entryUrl(client));
    expect(await tessera.db.prisma.email.count({ where: { normalized: email, verifiedAt: { not: null } } })).toBe(1);
  });

  test("the mailed link opened in another browser makes the account and sends that browser to the entry URL", async () => {
    const client = await linkClient(tessera);
    const email = address();
    const session = new BrowserSession(tessera.issuer);
    const used = expectRedirect(await session.request(await linkFor(tessera, client, email, target), { form: {} }));
    const mark = mailMark(tessera);
    await session.request(used.href, { form: { email } });
    const link = confirmLinkOf(await mailAfter(tessera, mark, { to: email, subject: "Confirm your email address" }));
    const other = new BrowserSession(tessera.issuer);
    expect(expectRedirect(await other.request(link, { form: {} })).href).toBe(entryUrl(client));
    expect(await tessera.db.prisma.email.count({ where: { normalized: email, verifiedAt: { not: null } } })).toBe(1);
    // The first browser still carries on: its flow now has the account.
    expect(expectRedirect(await session.request(used.href), 302).pathname).toMatch(/\/details$/);
  });
});

describe("identities of different clients never mix", () => {
  test("a ready link for one client signs nobody in to another; it signs its own person in even over another session", async () => {
    const [mine, other] = [await linkClient(tessera, { policy: { firstParty: true } }), await linkClient(tessera, { policy: { firstParty: true } })];
    const session = new BrowserSession(tessera.issuer);
    const first = address();
    const before = await relyingPartySignIn(session, other, await confirmDetails(session, await reachDetails(session, await linkFor(tessera, other, first), first), "First Person"));
    expect((await before.claims()).email).toBe(first);

    const email = address();
    const handBack = await confirmDetails(session, await reachDetails(session, await linkFor(tessera, mine, email), email), "Link Person");
    const otherHandBack = new URL(String(other.initiate_login_uri));
    otherHandBack.search = new URLSearchParams({ iss: tessera.issuer, target_link_uri: target, login_hint: email }).toString();
    const elsewhere = await relyingPartySignIn(session, other, otherHandBack);
    expect((await elsewhere.claims()).email).toBe(first);

    const own = await relyingPartySignIn(session, mine, handBack);
    expect((await own.claims()).email).toBe(email);
  });
});

describe("the sign-in policy still applies", () => {
  test("a client with a cooloff shows a new account its cooloff page; an organisation requiring consent asks for it", async () => {
    const young = await linkClient(tessera, { policy: { firstParty: true, cooloffHours: 24 } });
    const email = address();
    const session = new BrowserSession(tessera.issuer);
    const handBack = await confirmDetails(session, await reachDetails(session, await linkFor(tessera, young, email), email), "Young Account");
    const cooloff = await relyingPartySignIn(session, young, handBack);
    expect(cooloff.hop.status).toBe(403);
    expect(cooloff.hop.body).toContain("Your account is too new for this site");

    const org = await tessera.db.prisma.organisation.create({ data: { slug: `org-${randomUUID().slice(0, 8)}`, name: "Acme Links", requireConsent: true } });
    const guarded = await linkClient(tessera, { policy: { organisationId: org.id } });
    const other = address();
    const browser = new BrowserSession(tessera.issuer);
    const back = await confirmDetails(browser, await reachDetails(browser, await linkFor(tessera, guarded, other), other), "Consenting Person");
    const consent = await relyingPartySignIn(browser, guarded, back);
    expect(consent.hop.status).toBe(200);
    expect(consent.hop.body).toContain("Acme Links");
  });
});
