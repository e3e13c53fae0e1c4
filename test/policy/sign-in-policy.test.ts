/**
 * The sign-in policy chain through real HTTP: cooloff, terms of service and organisation
 * consent, each with its own page, each re-checked on every authorization (silent ones too).
 */
import { BrowserSession, interactionPath, newPerson, registerAt, type Hop, type Person } from "../support/browser-session.js";
import { codeClient, registerClient, rpRedirectUri, type ClientMetadata } from "../support/clients.js";
import { movableClock } from "../support/clock.js";
import { eventually } from "../support/eventually.js";
import { h1Of } from "../support/page-text.js";
import { registerAndConfirm } from "../support/sign-up.js";
import { startTestTessera, type TestTessera } from "../support/tessera.js";

let tessera: TestTessera;
const clock = movableClock();

beforeAll(async () => {
  tessera = await startTestTessera({ clock });
});
afterAll(async () => tessera?.close());

function authorizeUrl(client: ClientMetadata, extra: Record<string, string> = {}): string {
  return `/auth?${new URLSearchParams({ client_id: client.client_id, response_type: "code", scope: "openid profile email", redirect_uri: rpRedirectUri, state: "st", ...extra })}`;
}

/**
 * Signs up through `client` (accepting the terms of service if some are published) and
 * answers wherever the browser stops: a page, or the RP.
 */
async function signUp(session: BrowserSession, client: ClientMetadata, person: Person): Promise<Hop> {
  const hop = await registerAndConfirm(session, authorizeUrl(client), person);
  const version = /name="version" value="([^"]+)"/.exec(hop.body)?.[1];
  if (!version || h1(hop) !== "Confirm your details") return hop;
  return session.follow(`${interactionPath(hop)}/terms`, { form: { name: person.name, version, accept: "yes" } });
}

const h1 = (hop: Hop) => h1Of(hop.body);
const returnedTo = (hop: Hop) => (hop.location ? new URL(hop.location) : undefined);

async function organisation(requireConsent: boolean) {
  const slug = `org-${Math.random().toString(36).slice(2, 8)}`;
  return tessera.db.prisma.organisation.create({ data: { slug, name: `Acme ${slug}`, requireConsent, privacyPolicyUrl: "https://acme.example/privacy" } });
}

describe("cooloff", () => {
  test("a too-young account sees when it may sign in; other clients are unaffected; silent sign-in gets login_required", async () => {
    const strict = await registerClient(tessera, codeClient(), { cooloffHours: 24, firstParty: true });
    const relaxed = await registerClient(tessera, codeClient(), { firstParty: true });
    const session = new BrowserSession(tessera.issuer);
    const page = await signUp(session, strict, newPerson());
    expect(page.status).toBe(403);
    expect(h1(page)).toBe("Your account is too new for this site");
    const shown = /<time datetime="([^"]+)"/.exec(page.body)?.[1];
    expect(new Date(shown!).getTime() - clock.now().getTime()).toBeGreaterThan(23.9 * 3600_000);

    const elsewhere = await session.follow(authorizeUrl(relaxed));
    expect(returnedTo(elsewhere)?.searchParams.get("code")).toBeTruthy();

    const silent = await session.follow(authorizeUrl(strict, { prompt: "none" }));
    expect(returnedTo(silent)?.searchParams.get("error")).toBe("login_required");

    clock.advance(25 * 3600);
    const later = await session.follow(authorizeUrl(strict, { prompt: "none" }));
    expect(returnedTo(later)?.searchParams.get("code")).toBeTruthy();
  });
});

describe("terms of service", () => {
  test("the current version is accepted once on 'confirm your details', with the name editable; a new version asks again", async () => {
    const client = await registerClient(tessera, codeClient(), { firstParty: true });
    await tessera.db.prisma.termsVersion.create({ data: { version: "v1", url: "https://tessera.example/terms/v1", publishedAt: clock.now() } });
    const session = new BrowserSession(tessera.issuer);
    const person = newPerson();
    const login = await session.follow(authorizeUrl(client));
    const page = await registerAt(session, interactionPath(login), person);
    expect(h1(page)).toBe("Confirm your details");
    expect(page.body).toContain('href="https://tessera.example/terms/v1"');

    const unticked = await session.request(`${interactionPath(page)}/terms`, { form: { name: "Ada Renamed", version: "v1" } });
    expect(unticked.status).toBe(400);
    expect(unticked.body).toMatch(/id="accept-error"[^>]*>.*Tick the box/s);
    expect(unticked.body).toContain('value="Ada Renamed"');

    const accepted = await session.follow(`${interactionPath(page)}/terms`, { form: { name: "Ada Renamed", version: "v1", accept: "yes" } });
    expect(returnedTo(accepted)?.searchParams.get("code")).toBeTruthy();
    const user = await tessera.db.prisma.email.findUniqueOrThrow({ where: { owned: person.email.toLowerCase() }, include: { user: { include: { terms: true } } } });
    expect(user.user.name).toBe("Ada Renamed");
    expect(user.user.terms.map((acceptance) => acceptance.version)).toEqual(["v1"]);

    const again = await session.follow(authorizeUrl(client));
    expect(returnedTo(again)?.searchParams.get("code")).toBeTruthy();

    clock.advance(1);
    await tessera.db.prisma.termsVersion.create({ data: { version: "v2", url: "https://tessera.example/terms/v2", publishedAt: clock.now() } });
    const silent = await session.follow(authorizeUrl(client, { prompt: "none" }));
    expect(returnedTo(silent)?.searchParams.get("error")).toBe("interaction_required");
    const newVersion = await session.follow(authorizeUrl(client));
    expect(h1(newVersion)).toBe("Confirm your details");
    const stale = await session.request(`${interactionPath(newVersion)}/terms`, { form: { name: "Ada", version: "v1", accept: "yes" } });
    expect(stale.status).toBe(400);
    expect(stale.body).toContain("The terms of service changed while this page was open");
  });
});

describe("organisation consent", () => {
  test("asked once per organisation for all its sites; Deny returns access_denied; a withdrawn consent is asked again", async () => {
    const org = await organisation(true);
    const shop = await registerClient(tessera, codeClient({ client_name: "Shop" }), { organisationId: org.id, firstParty: true });
    const forum = await registerClient(tessera, codeClient({ client_name: "Forum" }), { organisationId: org.id, firstParty: true });
    const session = new BrowserSession(tessera.issuer);
    const person = newPerson();
    const page = await signUp(session, shop, person);
    expect(h1(page)).toBe(`Share your data with ${org.name}?`);
    expect(page.body).toContain("https://acme.example/privacy");
    expect(page.body).toContain("Your email address");

    const denied = await session.follow(`${interactionPath(page)}/consent`, { form: { decision: "deny" } });
    expect(returnedTo(denied)?.searchParams.get("error")).toBe("access_denied");
    expect(returnedTo(denied)?.searchParams.get("state")).toBe("st");

    const askedAgain = await session.follow(authorizeUrl(shop));
    const allowed = await session.follow(`${interactionPath(askedAgain)}/consent`, { form: { decision: "allow" } });
    expect(returnedTo(allowed)?.searchParams.get("code")).toBeTruthy();

    const sibling = await session.follow(authorizeUrl(forum));
    expect(returnedTo(sibling)?.searchParams.get("code")).toBeTruthy();

    const userId = (await tessera.db.prisma.email.findUniqueOrThrow({ where: { owned: person.email.toLowerCase() } })).userId;
    await tessera.db.prisma.organisationConsent.update({ where: { userId_organisationId: { userId, organisationId: org.id } }, data: { withdrawnAt: clock.now() } });
    const silent = await session.follow(authorizeUrl(forum, { prompt: "none" }));
    expect(returnedTo(silent)?.searchParams.get("error")).toBe("consent_required");
    const withdrawn = await session.follow(authorizeUrl(forum));
    expect(h1(withdrawn)).toBe(`Share your data with ${org.name}?`);
  });

  test("a replayed consent post does not grant anything twice or skip a step", async () => {
    const org = await organisation(true);
    const shop = await registerClient(tessera, codeClient(), { organisationId: org.id, firstParty: true });
    const session = new BrowserSession(tessera.issuer);
    const page = await signUp(session, shop, newPerson());
    const path = `${interactionPath(page)}/consent`;
    const first = await session.follow(path, { form: { decision: "allow" } });
    expect(returnedTo(first)?.searchParams.get("code")).toBeTruthy();
    const replay = await session.request(path, { form: { decision: "allow" } });
    expect(replay.status).toBe(400);
    expect(replay.body).toContain("This sign-in has expired");
  });

  test("a third-party client of such an organisation asks once, on one page that records both consents", async () => {
    const org = await organisation(true);
    const portal = await registerClient(tessera, codeClient({ client_name: "Portal" }), { organisationId: org.id });
    const session = new BrowserSession(tessera.issuer);
    const person = newPerson();
    const page = await signUp(session, portal, person);
    expect(h1(page)).toBe(`Share your data with ${org.name}?`);
    expect(page.body).toContain("Your email address");
    const allowed = await session.follow(`${interactionPath(page)}/consent`, { form: { decision: "allow" } });
    expect(returnedTo(allowed)?.searchParams.get("code")).toBeTruthy();

    const userId = (await tessera.db.prisma.email.findUniqueOrThrow({ where: { owned: person.email.toLowerCase() } })).userId;
    const consent = await tessera.db.prisma.organisationConsent.findUniqueOrThrow({ where: { userId_organisationId: { userId, organisationId: org.id } } });
    expect(consent.withdrawnAt).toBeNull();
    const silent = await session.follow(authorizeUrl(portal, { prompt: "none" }));
    expect(returnedTo(silent)?.searchParams.get("code")).toBeTruthy();
  });

  test("'Not you?' on the consent page starts the same sign-in again on the login page, where another account can sign in", async () => {
    const org = await organisation(true);
    const shop = await registerClient(tessera, codeClient(), { organisationId: org.id, firstParty: true });
    const session = new BrowserSession(tessera.issuer);
    const first = newPerson();
    const other = newPerson();
    await signUp(new BrowserSession(tessera.issuer), shop, other);
    const page = await signUp(session, shop, first);
    expect(page.body).toContain(`Signed in as <strong>${first.name}</strong>`);
    const login = await session.follow(`${interactionPath(page)}/switch-account`, { form: {} });
    expect(h1(login)).toBe("Sign in");
    let hop = await session.follow(`${interactionPath(login)}/login`, { form: { email: other.email, password: other.password } });
    // The provider signs the first account out through a form a browser submits by itself.
    const logout = /action="([^"]*session\/end\/confirm[^"]*)"/.exec(hop.body);
    if (logout) {
      const fields = Object.fromEntries([...hop.body.matchAll(/name="([^"]+)" value="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));
      hop = await session.follow(logout[1]!.replace(/&amp;/g, "&"), { form: fields });
    }
    expect(h1(hop)).toBe(`Share your data with ${org.name}?`);
    expect(hop.body).toContain(`Signed in as <strong>${other.name}</strong>`);
    const allowed = await session.follow(`${interactionPath(hop)}/consent`, { form: { decision: "allow" } });
    expect(returnedTo(allowed)?.searchParams.get("state")).toBe("st");
    expect(returnedTo(allowed)?.searchParams.get("code")).toBeTruthy();
  });

  test("an organisation that does not require consent asks nothing", async () => {
    const org = await organisation(false);
    const client = await registerClient(tessera, codeClient(), { organisationId: org.id, firstParty: true });
    const hop = await signUp(new BrowserSession(tessera.issuer), client, newPerson());
    expect(returnedTo(hop)?.searchParams.get("code")).toBeTruthy();
  });
});

test("the sign-in history records first and last sign-in per client", async () => {
  const client = await registerClient(tessera, codeClient(), { firstParty: true });
  const session = new BrowserSession(tessera.issuer);
  const person = newPerson();
  await signUp(session, client, person);
  clock.advance(60);
  await session.follow(authorizeUrl(client));
  const userId = (await tessera.db.prisma.email.findUniqueOrThrow({ where: { owned: person.email.toLowerCase() } })).userId;
  // The provider's authorization.success listener records it after the redirect is sent.
  const history = await eventually(
    async () => {
      const row = await tessera.db.prisma.clientSignIn.findUnique({ where: { userId_clientId: { userId, clientId: client.client_id } } });
      return row && row.count >= 2 && row;
    },
    5000,
    "the second sign-in to be recorded",
  );
  expect(history.count).toBe(2);
  expect(history.lastAt.getTime() - history.firstAt.getTime()).toBeGreaterThanOrEqual(60_000);
});
