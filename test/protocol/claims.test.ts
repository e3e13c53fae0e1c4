/**
 * Authentication request parameters an OpenID Connect certification plan exercises:
 * the claims parameter (OIDC Core §5.5), max_age and prompt=login (re-authentication,
 * visible in auth_time), prompt=none without a session, login_hint and acr_values.
 */
import * as oidc from "openid-client";
import { authorize, BrowserSession, interactionPath, newPerson, type Person } from "../support/browser-session.js";
import { codeClient, registerClient, rpRedirectUri, type ClientMetadata } from "../support/clients.js";
import { startTestTessera, type TestTessera } from "../support/tessera.js";
import { checks, redirectOf, relyingParty } from "../support/relying-party.js";
import { labelledInput } from "../support/page-text.js";

let tessera: TestTessera;
let client: ClientMetadata;
let config: oidc.Configuration;
let person: Person;
let session: BrowserSession;
let signedUp = false;

beforeAll(async () => {
  tessera = await startTestTessera();
  client = await registerClient(tessera, codeClient({ client_name: "Claims RP" }));
  config = await relyingParty(tessera, client);
  person = newPerson();
  session = new BrowserSession(tessera.issuer);
});
afterAll(async () => tessera?.close());

type Checks = Awaited<ReturnType<typeof checks>>;

function authorizationUrl(c: Checks, extra: Record<string, string> = {}) {
  return oidc.buildAuthorizationUrl(config, {
    redirect_uri: rpRedirectUri,
    scope: "openid",
    state: c.state,
    nonce: c.nonce,
    code_challenge: c.codeChallenge,
    code_challenge_method: "S256",
    ...extra,
  });
}

async function redeem(callback: URL, c: Checks, maxAge?: number) {
  return oidc.authorizationCodeGrant(config, callback, {
    pkceCodeVerifier: c.pkceCodeVerifier,
    expectedState: c.state,
    expectedNonce: c.nonce,
    ...(maxAge !== undefined && { maxAge }),
  });
}

/** A full authorization in the shared browser (sign-up the first time, consent when asked). */
async function signIn(extra: Record<string, string> = {}) {
  const c = await checks();
  const callback = redirectOf(await authorize(session, authorizationUrl(c, extra).href, person, { existing: signedUp }));
  signedUp = true;
  return redeem(callback, c);
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("the claims parameter", () => {
  test("discovery says claims_parameter_supported and lists email among the claims", () => {
    const metadata = config.serverMetadata();
    expect(metadata.claims_parameter_supported).toBe(true);
    expect(metadata.claims_supported).toEqual(expect.arrayContaining(["sub", "email", "name"]));
  });

  test("{id_token: {email: essential}} with scope openid puts email in the id_token, and only there", async () => {
    const tokens = await signIn({ claims: JSON.stringify({ id_token: { email: { essential: true } } }) });
    const claims = tokens.claims()!;
    expect(claims.email).toBe(person.email);
    // Nothing else was asked for: no profile claims.
    expect(claims.name).toBeUndefined();
    // The request was for the id_token, not userinfo; scope openid alone gives only sub there.
    const userinfo = await oidc.fetchUserInfo(config, tokens.access_token, claims.sub);
    expect(userinfo).toEqual({ sub: claims.sub });
  });

  test("{userinfo: {name: null}} puts name at userinfo, not in the id_token", async () => {
    const tokens = await signIn({ claims: JSON.stringify({ userinfo: { name: null } }) });
    const claims = tokens.claims()!;
    expect(claims.name).toBeUndefined();
    const userinfo = await oidc.fetchUserInfo(config, tokens.access_token, claims.sub);
    expect(userinfo).toEqual({ sub: claims.sub, name: person.name });
  });

  test("a claims parameter that is not JSON is an invalid_request error redirect", async () => {
    const c = await checks();
    const callback = redirectOf(await session.follow(authorizationUrl(c, { claims: "{not json" }).href));
    expect(`${callback.origin}${callback.pathname}`).toBe(rpRedirectUri);
    expect(callback.searchParams.get("error")).toBe("invalid_request");
    expect(callback.searchParams.get("state")).toBe(c.state);
    expect(callback.searchParams.get("code")).toBeNull();
  });
});

describe("re-authentication", () => {
  /** Sends the signed-in browser to `url` and expects Tessera's sign-in page, not an answer. */
  async function expectLoginPage(url: URL) {
    const hop = await session.follow(url.href);
    expect(hop.location).toBeUndefined();
    expect(hop.status).toBe(200);
    expect(hop.body).toMatch(/action="\/interaction\/[\w-]+\/login"/);
    return hop;
  }

  async function signInAgain(hop: Awaited<ReturnType<typeof expectLoginPage>>) {
    let next = await session.follow(`${interactionPath(hop)}/login`, { form: { email: person.email, password: person.password } });
    if (next.status === 200 && next.body.includes('/consent"')) {
      next = await session.follow(`${interactionPath(next)}/consent`, { form: { decision: "allow" } });
    }
    return redirectOf(next);
  }

  test("a max_age the session still satisfies is answered at once, with the same auth_time", async () => {
    const before = (await signIn({ max_age: "3600" })).claims()!.auth_time!;
    expect(typeof before).toBe("number");
    await pause(1100);
    const c = await checks();
    const hop = await session.follow(authorizationUrl(c, { max_age: "3600" }).href);
    // Straight back to the client: no sign-in page this time.
    const callback = redirectOf(hop);
    const again = await redeem(callback, c, 3600);
    expect(again.claims()!.auth_time).toBe(before);
  });

  test("max_age=0 forces a new sign-in: the login page, then an id_token with a later auth_time", async () => {
    const before = (await signIn({ max_age: "60" })).claims()!.auth_time!;
    expect(typeof before).toBe("number");
    await pause(1100);
    const c = await checks();
    const login = await expectLoginPage(authorizationUrl(c, { max_age: "0" }));
    const callback = await signInAgain(login);
    const tokens = await redeem(callback, c, 0);
    const after = tokens.claims()!.auth_time!;
    expect(typeof after).toBe("number");
    expect(after).toBeGreaterThan(before);
  });

  test("prompt=login forces a new sign-in too, with a later auth_time", async () => {
    const before = (await signIn({ max_age: "60" })).claims()!.auth_time!;
    await pause(1100);
    const c = await checks();
    const login = await expectLoginPage(authorizationUrl(c, { prompt: "login", max_age: "3600" }));
    const tokens = await redeem(await signInAgain(login), c);
    expect(tokens.claims()!.auth_time!).toBeGreaterThan(before);
  });

  test("prompt=none without a session: login_required back to the client, with state", async () => {
    const c = await checks();
    const callback = redirectOf(await new BrowserSession(tessera.issuer).follow(authorizationUrl(c, { prompt: "none" }).href));
    expect(`${callback.origin}${callback.pathname}`).toBe(rpRedirectUri);
    expect(callback.searchParams.get("error")).toBe("login_required");
    expect(callback.searchParams.get("state")).toBe(c.state);
    expect(callback.searchParams.get("iss")).toBe(tessera.issuer);
    expect(callback.searchParams.get("code")).toBeNull();
  });
});

describe("hints", () => {
  test("login_hint pre-fills the email field on the sign-in page", async () => {
    const hint = "someone.hinted@example.test";
    const c = await checks();
    const page = await new BrowserSession(tessera.issuer).follow(authorizationUrl(c, { login_hint: hint }).href);
    expect(page.status).toBe(200);
    const email = labelledInput(page.body, "email");
    expect(email.label).toBe("Email");
    expect(email.input).toContain(`value="${hint}"`);
    // With the address known, the cursor goes to the password.
    expect(labelledInput(page.body, "password").input).toMatch(/\bautofocus\b/);
    expect(email.input).not.toMatch(/\bautofocus\b/);
  });

  test("a login_hint with markup in it is escaped, not rendered", async () => {
    const c = await checks();
    const page = await new BrowserSession(tessera.issuer).follow(authorizationUrl(c, { login_hint: `"><script>alert(1)</script>` }).href);
    expect(page.body).not.toContain("<script>alert(1)</script>");
    expect(labelledInput(page.body, "email").input).toContain("&#34;&gt;&lt;script&gt;");
  });

  test("acr_values is accepted; any acr returned is one discovery lists", async () => {
    const metadata = config.serverMetadata();
    const requested = "urn:mace:incommon:iap:silver";
    const tokens = await signIn({ acr_values: requested });
    const acr = tokens.claims()!.acr;
    if (acr !== undefined) {
      expect(metadata.acr_values_supported).toBeDefined();
      expect(metadata.acr_values_supported).toContain(acr);
    } else {
      // Tessera authenticates with a password only and advertises no acr values: the
      // voluntary request is accepted and no acr is claimed (OIDC Core §3.1.2.1).
      expect(metadata.acr_values_supported ?? []).toEqual([]);
    }
  });
});
