/**
 * Dynamic client registration (RFC 7591) and management (RFC 7592) against a running
 * Tessera: only with an initial access token from the operator; a registered client signs
 * people in like any other; its registration access token reads, updates and deletes it;
 * redirect URIs must be https (http on loopback only); Tessera's policy metadata cannot be
 * self-declared; the client's logo, privacy policy and terms appear on the consent page.
 *
 * The initial access token is issued by the code behind `tessera client initial-access-token`
 * (the CLI's Provider over this Tessera's own database handle): a CLI process cannot open
 * the in-memory PGlite the test runs on. test/cli/clients.test.ts runs the command itself.
 */
import * as oidc from "openid-client";
import { createCliProvider } from "../../src/cli/cli-provider.js";
import { issueInitialAccessToken } from "../../src/cli/initial-access-token.js";
import { registrationPolicyName } from "../../src/oidc/index.js";
import { systemClock } from "../../src/shared/clock.js";
import { authorize, BrowserSession, interactionPath, newPerson, registerAt } from "../support/browser-session.js";
import { rpOrigin, rpRedirectUri, type ClientMetadata } from "../support/clients.js";
import { startTestTessera, type TestTessera } from "../support/tessera.js";
import { checks, redirectOf, relyingParty } from "../support/relying-party.js";
import { storedCopiesOf } from "../support/stored-secrets.js";

type Registered = ClientMetadata & { client_id: string; registration_access_token: string; registration_client_uri: string };

let tessera: TestTessera;
let provider: Awaited<ReturnType<typeof createCliProvider>>;
let initialAccessToken: string;
let registrationEndpoint: string;

beforeAll(async () => {
  tessera = await startTestTessera();
  provider = await createCliProvider(tessera.config, tessera.db, systemClock);
  initialAccessToken = (await issueInitialAccessToken(provider, { expiresInDays: 1 })).token;
  registrationEndpoint = `${tessera.issuer}/reg`;
});
afterAll(async () => tessera?.close());

const webClient = (overrides: Record<string, unknown> = {}) => ({
  client_name: "Self-registered RP",
  redirect_uris: [rpRedirectUri],
  response_types: ["code"],
  grant_types: ["authorization_code"],
  token_endpoint_auth_method: "client_secret_basic",
  ...overrides,
});

async function send(url: string, init: { method?: string; token?: string; body?: unknown } = {}) {
  const response = await fetch(url, {
    method: init.method ?? (init.body ? "POST" : "GET"),
    headers: {
      accept: "application/json",
      ...(init.token && { authorization: `Bearer ${init.token}` }),
      ...(init.body !== undefined && { "content-type": "application/json" }),
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: (text ? JSON.parse(text) : undefined) as Record<string, unknown> };
}

async function register(metadata: Record<string, unknown>): Promise<Registered> {
  const response = await send(registrationEndpoint, { token: initialAccessToken, body: metadata });
  if (response.status !== 201) throw new Error(`registration answered ${response.status}: ${JSON.stringify(response.body)}`);
  return response.body as Registered;
}

/** Code + PKCE through sign-up and consent, redeemed with openid-client. */
async function codeFlow(client: ClientMetadata) {
  const config = await relyingParty(tessera, client);
  const c = await checks();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: rpRedirectUri,
    scope: "openid email",
    code_challenge: c.codeChallenge,
    code_challenge_method: "S256",
    state: c.state,
    nonce: c.nonce,
  });
  const callback = redirectOf(await authorize(new BrowserSession(tessera.issuer), url.href, newPerson()));
  return oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: c.pkceCodeVerifier, expectedState: c.state, expectedNonce: c.nonce });
}

/** The page a new person reaches after signing up through `client`'s authorization request. */
async function pageAfterSignUp(client: ClientMetadata) {
  const session = new BrowserSession(tessera.issuer);
  const url = new URL(`${tessera.issuer}/auth`);
  url.search = new URLSearchParams({ client_id: client.client_id, redirect_uri: rpRedirectUri, response_type: "code", scope: "openid email", code_challenge: (await checks()).codeChallenge, code_challenge_method: "S256" }).toString();
  const login = await session.follow(url.href);
  const person = newPerson();
  return registerAt(session, interactionPath(login), person);
}

describe("POST /reg needs an initial access token", () => {
  test("without one, or with an unknown one: 401 invalid_token, and no client is stored", async () => {
    const clientsBefore = await tessera.db.prisma.client.count();
    for (const token of [undefined, "not-a-token"]) {
      const response = await send(registrationEndpoint, { token, body: webClient() });
      expect(response.status).toBe(401);
      expect(response.body).toMatchObject({ error: "invalid_token" });
      // RFC 6750 §3: a bearer challenge; the error code only when a token was presented (§3.1).
      const challenge = response.headers.get("www-authenticate");
      expect(challenge).toMatch(/^Bearer realm=/);
      if (token) expect(challenge).toMatch(/error="invalid_token"/);
    }
    expect(await tessera.db.prisma.client.count()).toBe(clientsBefore);
  });

  test("an expired one: 401 invalid_token", async () => {
    const shortLived = await new provider.InitialAccessToken({ expiresIn: 1, policies: [registrationPolicyName] }).save();
    await new Promise((resolve) => setTimeout(resolve, 2100));
    const response = await send(registrationEndpoint, { token: shortLived, body: webClient() });
    expect(response.status).toBe(401);
    expect(response.body).toMatchObject({ error: "invalid_token" });
  });

  test("with one: 201 with client_id, client_secret, registration_access_token and registration_client_uri", async () => {
    const response = await send(registrationEndpoint, { token: initialAccessToken, body: webClient() });
    expect(response.status).toBe(201);
    const registered = response.body as Registered;
    expect(registered).toMatchObject({ client_name: "Self-registered RP", redirect_uris: [rpRedirectUri], token_endpoint_auth_method: "client_secret_basic" });
    expect(typeof registered.client_id).toBe("string");
    expect(registered.client_secret).toMatch(/^[A-Za-z0-9_-]{43,}$/);
    expect(typeof registered.registration_access_token).toBe("string");
    expect(registered.registration_client_uri).toBe(`${tessera.issuer}/reg/${registered.client_id}`);
    // Stored like an operator's client: metadata in the row, Tessera's policy at its defaults.
    const row = await tessera.db.prisma.client.findUniqueOrThrow({ where: { id: registered.client_id }, include: { organisation: true } });
    expect(row).toMatchObject({ firstParty: false, requireVerifiedEmail: false, cooloffHours: null, organisation: { slug: "default" } });
    // The secret is stored encrypted (src/oidc/client-secrets.ts), never as itself.
    expect(row.metadata).toMatchObject({ client_secret: expect.stringMatching(/^sealed:v1:/), redirect_uris: [rpRedirectUri] });
    expect(await storedCopiesOf(tessera.db.prisma, { clientSecret: registered.client_secret })).toEqual([]);
  });

  test("a registered client_secret_post client authenticates with the secret in the body", async () => {
    const registered = await register(webClient({ token_endpoint_auth_method: "client_secret_post", grant_types: ["client_credentials"], response_types: [], redirect_uris: [] }));
    expect(await storedCopiesOf(tessera.db.prisma, { clientSecret: registered.client_secret })).toEqual([]);
    const token = (secret: string) =>
      fetch(`${tessera.issuer}/token`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ grant_type: "client_credentials", client_id: registered.client_id, client_secret: secret }).toString(),
      });
    expect((await token(registered.client_secret!)).status).toBe(200);
    expect((await token("wrong")).status).toBe(401);
  });

  test("the registered client completes a code flow with openid-client", async () => {
    const registered = await register(webClient());
    const tokens = await codeFlow(registered);
    expect(tokens.claims()).toMatchObject({ iss: tessera.issuer, aud: registered.client_id });
    expect(typeof tokens.access_token).toBe("string");
  });
});

describe("RFC 7592 management with the registration access token", () => {
  test("GET reads the metadata, PUT replaces it (and rotates the token), DELETE removes the client", async () => {
    const registered = await register(webClient({ post_logout_redirect_uris: [`${rpOrigin}/bye`] }));
    const uri = registered.registration_client_uri;
    // Both bearer tokens are stored only as hashes.
    expect(await storedCopiesOf(tessera.db.prisma, { initialAccessToken, registrationAccessToken: registered.registration_access_token })).toEqual([]);

    const read = await send(uri, { token: registered.registration_access_token });
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({
      client_id: registered.client_id,
      client_secret: registered.client_secret,
      client_name: "Self-registered RP",
      redirect_uris: [rpRedirectUri],
      post_logout_redirect_uris: [`${rpOrigin}/bye`],
      registration_access_token: registered.registration_access_token,
      registration_client_uri: uri,
    });
    expect((await send(uri)).status).toBe(401);
    expect((await send(uri, { token: "not-a-token" })).status).toBe(401);

    const put = await send(uri, {
      method: "PUT",
      token: registered.registration_access_token,
      body: webClient({ client_id: registered.client_id, client_name: "Renamed RP", redirect_uris: [rpRedirectUri, `${rpOrigin}/cb2`] }),
    });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ client_id: registered.client_id, client_name: "Renamed RP", redirect_uris: [rpRedirectUri, `${rpOrigin}/cb2`], client_secret: registered.client_secret });
    // RFC 7592 §2.2: the server may rotate the token; node-oidc-provider does, and the old one dies.
    const rotated = put.body.registration_access_token as string;
    expect(rotated).not.toBe(registered.registration_access_token);
    expect((await send(uri, { token: registered.registration_access_token })).status).toBe(401);
    expect((await send(uri, { token: rotated })).body).toMatchObject({ client_name: "Renamed RP" });
    expect(await storedCopiesOf(tessera.db.prisma, { rotated })).toEqual([]);
    const row = await tessera.db.prisma.client.findUniqueOrThrow({ where: { id: registered.client_id } });
    expect(row.metadata).toMatchObject({ client_name: "Renamed RP", redirect_uris: [rpRedirectUri, `${rpOrigin}/cb2`] });
    expect(row.metadata).toMatchObject({ post_logout_redirect_uris: [] });

    const deleted = await fetch(uri, { method: "DELETE", headers: { authorization: `Bearer ${rotated}` } });
    expect(deleted.status).toBe(204);
    expect(await tessera.db.prisma.client.findUnique({ where: { id: registered.client_id } })).toBeNull();
    expect((await send(uri, { token: rotated })).status).toBe(401);
    // The provider no longer knows the client.
    const token = await fetch(`${tessera.issuer}/token`, {
      method: "POST",
      headers: { authorization: `Basic ${Buffer.from(`${registered.client_id}:${registered.client_secret}`).toString("base64")}`, "content-type": "application/x-www-form-urlencoded" },
      body: "grant_type=client_credentials",
    });
    expect(token.status).toBe(401);
    expect(await token.json()).toMatchObject({ error: "invalid_client" });
  });
});

describe("metadata validation", () => {
  test("a non-https redirect URI other than loopback is invalid_redirect_uri, on registration and on update", async () => {
    for (const redirectUri of ["http://rp.example.test/cb", "http://192.0.2.1/cb"]) {
      const response = await send(registrationEndpoint, { token: initialAccessToken, body: webClient({ redirect_uris: [redirectUri] }) });
      expect({ redirectUri, status: response.status, error: response.body.error }).toEqual({ redirectUri, status: 400, error: "invalid_redirect_uri" });
    }
    const registered = await register(webClient());
    const put = await send(registered.registration_client_uri, {
      method: "PUT",
      token: registered.registration_access_token,
      body: webClient({ client_id: registered.client_id, redirect_uris: ["http://rp.example.test/cb"] }),
    });
    expect(put.status).toBe(400);
    expect(put.body).toMatchObject({ error: "invalid_redirect_uri" });
  });

  test("loopback http redirect URIs are accepted; fragments are invalid_redirect_uri", async () => {
    for (const redirectUri of ["http://localhost:8080/cb", "http://127.0.0.1/cb"]) {
      expect((await register(webClient({ redirect_uris: [redirectUri] }))).redirect_uris).toEqual([redirectUri]);
    }
    const fragment = await send(registrationEndpoint, { token: initialAccessToken, body: webClient({ redirect_uris: [`${rpRedirectUri}#x`] }) });
    expect(fragment.status).toBe(400);
    expect(fragment.body).toMatchObject({ error: "invalid_redirect_uri" });
  });

  test("first_party, cooloff_hours and organisation_id in the request grant nothing: the client is an ordinary third party", async () => {
    const org = await tessera.db.prisma.organisation.create({ data: { slug: "trusted", name: "Trusted" } });
    const body = webClient({ first_party: true, cooloff_hours: 0, require_verified_email: false, organisation_id: org.id });
    const registered = await register(body);
    expect(registered.first_party).not.toBe(true);
    const row = await tessera.db.prisma.client.findUniqueOrThrow({ where: { id: registered.client_id } });
    expect(row).toMatchObject({ firstParty: false, cooloffHours: null, organisationId: "00000000-0000-4000-8000-000000000000" });
    expect(row.metadata).not.toHaveProperty("first_party");
    expect((await send(registered.registration_client_uri, { token: registered.registration_access_token })).body.first_party).not.toBe(true);

    // Nor through an update.
    const put = await send(registered.registration_client_uri, { method: "PUT", token: registered.registration_access_token, body: { ...body, client_id: registered.client_id } });
    expect(put.status).toBe(200);
    expect((await tessera.db.prisma.client.findUniqueOrThrow({ where: { id: registered.client_id } })).firstParty).toBe(false);

    // The consent screen, which first-party clients skip, is shown.
    const page = await pageAfterSignUp(registered);
    expect(page.status).toBe(200);
    expect(page.body).toContain("/consent\"");

    // Malformed policy values are dropped with the rest, not a server error.
    const malformed = await register(webClient({ first_party: "yes", cooloff_hours: -1 }));
    expect(await tessera.db.prisma.client.findUniqueOrThrow({ where: { id: malformed.client_id } })).toMatchObject({ firstParty: false, cooloffHours: null });
  });

  test("even with a token that lacks Tessera's registration policy, the adapter never stores policy metadata", async () => {
    const plain = await new provider.InitialAccessToken({ expiresIn: 600 }).save();
    const response = await send(registrationEndpoint, { token: plain, body: webClient({ first_party: true, cooloff_hours: 0 }) });
    expect(response.status).toBe(201);
    const registered = response.body as Registered;
    expect(await tessera.db.prisma.client.findUniqueOrThrow({ where: { id: registered.client_id } })).toMatchObject({ firstParty: false, cooloffHours: null });
    expect((await send(registered.registration_client_uri, { token: registered.registration_access_token })).body).toMatchObject({ first_party: false });
    expect((await pageAfterSignUp(registered)).body).toContain("/consent\"");
  });
});

test("logo_uri, policy_uri and tos_uri are shown on the consent page", async () => {
  const registered = await register(
    webClient({ client_name: "Policy RP", logo_uri: `${rpOrigin}/logo.png`, policy_uri: `${rpOrigin}/privacy`, tos_uri: `${rpOrigin}/terms` }),
  );
  const page = await pageAfterSignUp(registered);
  expect(page.status).toBe(200);
  expect(page.body).toContain("Allow Policy RP to access your account?");
  expect(page.body).toMatch(new RegExp(`<img[^>]*src="${rpOrigin}/logo\\.png"`));
  expect(page.body).toMatch(new RegExp(`<a href="${rpOrigin}/privacy"[^>]*>privacy policy</a>`));
  expect(page.body).toMatch(new RegExp(`<a href="${rpOrigin}/terms"[^>]*>terms of service</a>`));
});
