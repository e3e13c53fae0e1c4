/**
 * Every implicit and hybrid response type Tessera offers, as a relying party sees it:
 * which parameters arrive in the fragment, the hash claims OIDC Core requires in the
 * front-channel id_token (at_hash §3.2.2.10 / §3.3.2.11, c_hash §3.3.2.11), the nonce,
 * and that the tokens work. `none` and the refused plain `token` too.
 */
import * as oidc from "openid-client";
import { authorize, BrowserSession, newPerson, type Person } from "../support/browser-session.js";
import { codeClient, registerClient, rpRedirectUri, type ClientMetadata } from "../support/clients.js";
import { startTestTessera, type TestTessera } from "../support/tessera.js";
import { checks, fragmentParams, idTokenParts, redirectOf, rejection, relyingParty, tokenHash } from "../support/relying-party.js";

let tessera: TestTessera;
let client: ClientMetadata;
let person: Person;
let session: BrowserSession;

beforeAll(async () => {
  tessera = await startTestTessera();
  client = await registerClient(
    tessera,
    codeClient({
      response_types: ["code", "id_token", "id_token token", "code id_token", "code token", "code id_token token", "none"],
      grant_types: ["authorization_code", "implicit"],
    }),
  );
  // One browser, signed up and consented once (through the first response type used);
  // later requests reuse its session and grant.
  person = newPerson();
  session = new BrowserSession(tessera.issuer);
});
afterAll(async () => tessera?.close());

let signedUp = false;
/** Sends the browser through an authorization request; signs up and consents the first time. */
async function respond(url: URL): Promise<URL> {
  const hop = await authorize(session, url.href, person, { existing: signedUp });
  signedUp = true;
  const callback = redirectOf(hop);
  expect(`${callback.origin}${callback.pathname}`).toBe(rpRedirectUri);
  return callback;
}

function request(config: oidc.Configuration, responseType: string, values: { state: string; nonce?: string; codeChallenge?: string }) {
  return oidc.buildAuthorizationUrl(config, {
    redirect_uri: rpRedirectUri,
    response_type: responseType,
    scope: "openid profile email",
    state: values.state,
    ...(values.nonce && { nonce: values.nonce }),
    ...(values.codeChallenge && { code_challenge: values.codeChallenge, code_challenge_method: "S256" }),
  });
}

function keysOf(params: URLSearchParams): string[] {
  return [...new Set(params.keys())].sort();
}

test("id_token: only id_token and state in the fragment; the id_token carries the claims and the nonce, no at_hash", async () => {
  const config = await relyingParty(tessera, client, { execute: [oidc.useIdTokenResponseType] });
  const c = await checks();
  const callback = await respond(request(config, "id_token", c));

  expect(callback.search).toBe("");
  const params = fragmentParams(callback);
  // No separate iss parameter: the id_token's own iss identifies the issuer (RFC 9207 §2.4).
  expect(keysOf(params)).toEqual(["id_token", "state"]);
  expect(params.get("state")).toBe(c.state);

  const claims = await oidc.implicitAuthentication(config, callback, c.nonce, { expectedState: c.state });
  expect(claims.nonce).toBe(c.nonce);
  expect(claims.aud).toBe(client.client_id);
  // With no access token to call userinfo with, the claims are in the id_token (OIDC Core §5.4).
  expect(claims).toMatchObject({ name: person.name, email: person.email, email_verified: true });
  expect(claims.at_hash).toBeUndefined();
  expect(claims.c_hash).toBeUndefined();
});

test("id_token token: access_token, token_type, expires_in and an id_token whose at_hash matches the access token", async () => {
  const config = await relyingParty(tessera, client);
  const c = await checks();
  const callback = await respond(request(config, "id_token token", c));

  expect(callback.search).toBe("");
  const params = fragmentParams(callback);
  expect(keysOf(params)).toEqual(["access_token", "expires_in", "id_token", "scope", "state", "token_type"]);
  expect(params.get("state")).toBe(c.state);
  expect(params.get("token_type")?.toLowerCase()).toBe("bearer");
  expect(Number(params.get("expires_in"))).toBeGreaterThan(0);

  const accessToken = params.get("access_token")!;
  const { header, claims } = idTokenParts(params.get("id_token")!);
  expect(claims.nonce).toBe(c.nonce);
  expect(claims.at_hash).toBe(tokenHash(accessToken, header.alg!));
  expect(claims.c_hash).toBeUndefined();

  // openid-client validates the id_token itself (signature, iss, aud, nonce).
  const implicit = await relyingParty(tessera, client, { execute: [oidc.useIdTokenResponseType] });
  const validated = await oidc.implicitAuthentication(implicit, callback, c.nonce, { expectedState: c.state });
  // The front-channel access token works at userinfo.
  const userinfo = await oidc.fetchUserInfo(config, accessToken, validated.sub);
  expect(userinfo).toEqual({ sub: validated.sub, name: person.name, email: person.email, email_verified: true });
});

test("code id_token: code and an id_token whose c_hash matches the code; the code redeems", async () => {
  const config = await relyingParty(tessera, client, { execute: [oidc.useCodeIdTokenResponseType] });
  const c = await checks();
  const callback = await respond(request(config, "code id_token", c));

  expect(callback.search).toBe("");
  const params = fragmentParams(callback);
  expect(keysOf(params)).toEqual(["code", "id_token", "state"]);
  const { header, claims } = idTokenParts(params.get("id_token")!);
  expect(claims.nonce).toBe(c.nonce);
  expect(claims.c_hash).toBe(tokenHash(params.get("code")!, header.alg!));
  expect(claims.at_hash).toBeUndefined();

  // openid-client checks the hybrid response (signature, nonce, c_hash) and redeems the code.
  const tokens = await oidc.authorizationCodeGrant(config, callback, {
    expectedNonce: c.nonce,
    expectedState: c.state,
    pkceCodeVerifier: c.pkceCodeVerifier,
  });
  expect(tokens.claims()!.sub).toBe(claims.sub);
  const userinfo = await oidc.fetchUserInfo(config, tokens.access_token, claims.sub!);
  expect(userinfo.email).toBe(person.email);
});

test("code token: code and access_token, no id_token in the fragment; both work", async () => {
  const config = await relyingParty(tessera, client);
  const c = await checks();
  const callback = await respond(request(config, "code token", c));

  expect(callback.search).toBe("");
  const params = fragmentParams(callback);
  expect(keysOf(params)).toEqual(["access_token", "code", "expires_in", "iss", "scope", "state", "token_type"]);
  expect(params.get("state")).toBe(c.state);

  // The fragment's code parameters as a code-flow callback for openid-client.
  const asQuery = new URL(rpRedirectUri);
  for (const name of ["code", "state", "iss"]) asQuery.searchParams.set(name, params.get(name)!);
  const tokens = await oidc.authorizationCodeGrant(config, asQuery, {
    expectedNonce: c.nonce,
    expectedState: c.state,
    pkceCodeVerifier: c.pkceCodeVerifier,
  });
  const sub = tokens.claims()!.sub;
  const frontChannel = await oidc.fetchUserInfo(config, params.get("access_token")!, sub);
  expect(frontChannel.sub).toBe(sub);
  expect(frontChannel.name).toBe(person.name);
});

test("code id_token token: code, access_token and an id_token with both c_hash and at_hash correct", async () => {
  const config = await relyingParty(tessera, client, { execute: [oidc.useCodeIdTokenResponseType] });
  const c = await checks();
  const callback = await respond(request(config, "code id_token token", c));

  expect(callback.search).toBe("");
  const params = fragmentParams(callback);
  expect(keysOf(params)).toEqual(["access_token", "code", "expires_in", "id_token", "scope", "state", "token_type"]);
  const { header, claims } = idTokenParts(params.get("id_token")!);
  expect(claims.nonce).toBe(c.nonce);
  expect(claims.c_hash).toBe(tokenHash(params.get("code")!, header.alg!));
  expect(claims.at_hash).toBe(tokenHash(params.get("access_token")!, header.alg!));

  const tokens = await oidc.authorizationCodeGrant(config, callback, {
    expectedNonce: c.nonce,
    expectedState: c.state,
    pkceCodeVerifier: c.pkceCodeVerifier,
  });
  expect(tokens.claims()!.sub).toBe(claims.sub);
  const userinfo = await oidc.fetchUserInfo(config, params.get("access_token")!, claims.sub!);
  expect(userinfo.email).toBe(person.email);
});

test("a tampered hybrid response (code swapped) fails openid-client's c_hash check", async () => {
  const config = await relyingParty(tessera, client, { execute: [oidc.useCodeIdTokenResponseType] });
  const first = await checks();
  const firstCallback = await respond(request(config, "code id_token", first));
  const second = await checks();
  const secondCallback = await respond(request(config, "code id_token", second));
  // The first response's id_token with the second response's code: c_hash no longer matches.
  const spliced = new URLSearchParams(fragmentParams(firstCallback));
  spliced.set("code", fragmentParams(secondCallback).get("code")!);
  const url = new URL(rpRedirectUri);
  url.hash = spliced.toString();
  const error = await rejection(
    oidc.authorizationCodeGrant(config, url, { expectedNonce: first.nonce, expectedState: first.state, pkceCodeVerifier: first.pkceCodeVerifier }),
  );
  expect(error.code).toBe("OAUTH_JWT_CLAIM_COMPARISON_FAILED");
  // openid-client wraps oauth4webapi's error, which names the claim.
  expect((error.cause as Error).message).toMatch(/"c_hash"/);
});

test("none: nothing but state (and the RFC 9207 iss) comes back, in the query", async () => {
  const config = await relyingParty(tessera, client);
  const state = oidc.randomState();
  const callback = await respond(
    oidc.buildAuthorizationUrl(config, { redirect_uri: rpRedirectUri, response_type: "none", scope: "openid", state }),
  );
  expect(callback.hash).toBe("");
  expect(keysOf(callback.searchParams)).toEqual(["iss", "state"]);
  expect(callback.searchParams.get("state")).toBe(state);
  expect(callback.searchParams.get("iss")).toBe(tessera.issuer);
});

test("token alone is unsupported_response_type, sent back to the registered redirect URI in the fragment", async () => {
  const config = await relyingParty(tessera, client);
  expect(config.serverMetadata().response_types_supported).not.toContain("token");
  const state = oidc.randomState();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: rpRedirectUri,
    response_type: "token",
    scope: "openid",
    state,
    nonce: oidc.randomNonce(),
  });

  const hop = await new BrowserSession(tessera.issuer).follow(url.href);
  // The redirect URI is registered, so the error goes back to the client, not to an error page;
  // `token` is a fragment-encoded response type, so it comes in the fragment.
  expect(hop.status).toBe(303);
  const callback = redirectOf(hop);
  expect(`${callback.origin}${callback.pathname}`).toBe(rpRedirectUri);
  const params = fragmentParams(callback);
  expect(params.get("error")).toBe("unsupported_response_type");
  expect(params.get("state")).toBe(state);
  expect(params.get("access_token")).toBeNull();
});
