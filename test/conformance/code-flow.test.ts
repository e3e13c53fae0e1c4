/**
 * Authorization code flow with PKCE, driven by openid-client as the relying party: every
 * client authentication method Tessera offers, PKCE policy for public clients, the
 * id_token and userinfo a relying party receives, and first-party consent policy.
 */
import { exportJWK, generateKeyPair } from "jose";
import * as oidc from "openid-client";
import { authorize, BrowserSession, interactionPath, newPerson, registerAt, type Person } from "../support/browser-session.js";
import { codeClient, registerClient, rpRedirectUri, uniqueClientId, type ClientMetadata } from "../support/clients.js";
import { startTestTessera, type TestTessera } from "../support/tessera.js";
import { checks, redirectOf, rejection, relyingParty } from "../support/relying-party.js";

let tessera: TestTessera;
beforeAll(async () => {
  tessera = await startTestTessera();
});
afterAll(async () => tessera?.close());

/** Runs code + PKCE through sign-up and consent and redeems the code with openid-client. */
async function codeFlow(config: oidc.Configuration, person: Person = newPerson(), scope = "openid profile email") {
  const c = await checks();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: rpRedirectUri,
    scope,
    code_challenge: c.codeChallenge,
    code_challenge_method: "S256",
    state: c.state,
    nonce: c.nonce,
  });
  const callback = redirectOf(await authorize(new BrowserSession(tessera.issuer), url.href, person));
  expect(`${callback.origin}${callback.pathname}`).toBe(rpRedirectUri);
  const tokens = await oidc.authorizationCodeGrant(config, callback, {
    pkceCodeVerifier: c.pkceCodeVerifier,
    expectedState: c.state,
    expectedNonce: c.nonce,
  });
  return { tokens, person, callback, nonce: c.nonce };
}

async function accountIdOf(person: Person): Promise<string> {
  const email = await tessera.db.prisma.email.findUniqueOrThrow({ where: { owned: person.email.toLowerCase() } });
  return email.userId;
}

describe("confidential client, client_secret_basic", () => {
  test("code + PKCE: the code comes back with state and iss, the id_token validates and names the account", async () => {
    const client = await registerClient(tessera, codeClient({ token_endpoint_auth_method: "client_secret_basic" }));
    const config = await relyingParty(tessera, client);
    const { tokens, person, callback, nonce } = await codeFlow(config);

    expect(callback.searchParams.get("iss")).toBe(tessera.issuer);
    expect(tokens.token_type.toLowerCase()).toBe("bearer");
    expect(typeof tokens.access_token).toBe("string");
    expect(tokens.expires_in).toBeGreaterThan(0);
    // openid-client has checked signature, iss, aud, exp, iat and nonce; these are the values.
    const claims = tokens.claims()!;
    expect(claims.iss).toBe(tessera.issuer);
    expect(claims.aud).toBe(client.client_id);
    expect(claims.nonce).toBe(nonce);
    expect(claims.sub).toBe(await accountIdOf(person));
    // No offline_access asked for: no refresh token.
    expect(tokens.refresh_token).toBeUndefined();
  });

  test("userinfo for openid profile email returns sub, name, email and email_verified true (the registration link proved the address)", async () => {
    const client = await registerClient(tessera, codeClient());
    const config = await relyingParty(tessera, client);
    const { tokens, person } = await codeFlow(config);
    const sub = tokens.claims()!.sub;

    const userinfo = await oidc.fetchUserInfo(config, tokens.access_token, sub);
    expect(userinfo).toEqual({ sub, name: person.name, email: person.email, email_verified: true });
  });

  test("userinfo for scope openid alone returns only sub", async () => {
    const client = await registerClient(tessera, codeClient());
    const config = await relyingParty(tessera, client);
    const { tokens } = await codeFlow(config, newPerson(), "openid");
    const sub = tokens.claims()!.sub;

    const userinfo = await oidc.fetchUserInfo(config, tokens.access_token, sub);
    expect(userinfo).toEqual({ sub });
  });
});

describe("confidential client, client_secret_post", () => {
  test("code + PKCE with the secret in the body", async () => {
    const client = await registerClient(tessera, codeClient({ token_endpoint_auth_method: "client_secret_post" }));
    const config = await relyingParty(tessera, client, { auth: oidc.ClientSecretPost(client.client_secret) });
    const { tokens, person } = await codeFlow(config);
    const userinfo = await oidc.fetchUserInfo(config, tokens.access_token, tokens.claims()!.sub);
    expect(userinfo.email).toBe(person.email);
  });
});

describe("confidential client, private_key_jwt", () => {
  async function keyedClient() {
    const { privateKey, publicKey } = await generateKeyPair("ES256");
    const kid = uniqueClientId("key");
    const jwk = { ...(await exportJWK(publicKey)), kid, alg: "ES256", use: "sig" };
    const client = await registerClient(tessera, {
      ...codeClient({ token_endpoint_auth_method: "private_key_jwt", token_endpoint_auth_signing_alg: "ES256" }),
      client_secret: undefined,
      jwks: { keys: [jwk] },
    });
    return { client, privateKey, kid };
  }

  test("code + PKCE authenticated by a client assertion signed with the registered key", async () => {
    const { client, privateKey, kid } = await keyedClient();
    const config = await relyingParty(tessera, client, { auth: oidc.PrivateKeyJwt({ key: privateKey, kid }) });
    const { tokens, person } = await codeFlow(config);
    expect(tokens.claims()!.sub).toBe(await accountIdOf(person));
    const introspection = await oidc.tokenIntrospection(config, tokens.access_token);
    expect(introspection.active).toBe(true);
    expect(introspection.client_id).toBe(client.client_id);
  });

  test("an assertion signed with another key is refused with invalid_client", async () => {
    const { client, kid } = await keyedClient();
    const { privateKey: otherKey } = await generateKeyPair("ES256");
    const config = await relyingParty(tessera, client, { auth: oidc.PrivateKeyJwt({ key: otherKey, kid }) });
    const c = await checks();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: rpRedirectUri,
      scope: "openid",
      code_challenge: c.codeChallenge,
      code_challenge_method: "S256",
      state: c.state,
    });
    const callback = redirectOf(await authorize(new BrowserSession(tessera.issuer), url.href, newPerson()));
    const error = await rejection(
      oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: c.pkceCodeVerifier, expectedState: c.state }),
    );
    expect(error.error).toBe("invalid_client");
    expect(error.status).toBe(401);
  });
});

describe("public client, token_endpoint_auth_method none", () => {
  function publicClient(): ClientMetadata {
    return { ...codeClient({ token_endpoint_auth_method: "none" }), client_secret: undefined };
  }

  test("code + PKCE without a secret", async () => {
    const client = await registerClient(tessera, publicClient());
    const config = await relyingParty(tessera, client, { auth: oidc.None() });
    const { tokens, person } = await codeFlow(config);
    const userinfo = await oidc.fetchUserInfo(config, tokens.access_token, tokens.claims()!.sub);
    expect(userinfo.name).toBe(person.name);
  });

  test("an authorization request without code_challenge is refused with an error redirect invalid_request", async () => {
    const client = await registerClient(tessera, publicClient());
    const config = await relyingParty(tessera, client, { auth: oidc.None() });
    const state = oidc.randomState();
    const url = oidc.buildAuthorizationUrl(config, { redirect_uri: rpRedirectUri, scope: "openid", state });

    const hop = await new BrowserSession(tessera.issuer).follow(url.href);
    const callback = redirectOf(hop);
    expect(`${callback.origin}${callback.pathname}`).toBe(rpRedirectUri);
    expect(callback.searchParams.get("error")).toBe("invalid_request");
    expect(callback.searchParams.get("error_description")).toMatch(/PKCE/i);
    expect(callback.searchParams.get("state")).toBe(state);
    expect(callback.searchParams.get("code")).toBeNull();
  });

  test("code_challenge_method plain is refused (only S256 is offered)", async () => {
    const client = await registerClient(tessera, publicClient());
    const config = await relyingParty(tessera, client, { auth: oidc.None() });
    expect(config.serverMetadata().code_challenge_methods_supported).toEqual(["S256"]);
    const state = oidc.randomState();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: rpRedirectUri,
      scope: "openid",
      state,
      code_challenge: oidc.randomPKCECodeVerifier(),
      code_challenge_method: "plain",
    });
    const callback = redirectOf(await new BrowserSession(tessera.issuer).follow(url.href));
    expect(callback.searchParams.get("error")).toBe("invalid_request");
    expect(callback.searchParams.get("state")).toBe(state);
  });
});

describe("consent policy", () => {
  function authorizationUrl(config: oidc.Configuration, challenge: string, state: string) {
    return oidc.buildAuthorizationUrl(config, {
      redirect_uri: rpRedirectUri,
      scope: "openid profile email",
      code_challenge: challenge,
      code_challenge_method: "S256",
      state,
    }).href;
  }

  test("a first-party client skips the consent page entirely and still gets every scope's claims", async () => {
    const client = await registerClient(tessera, codeClient(), { firstParty: true });
    const config = await relyingParty(tessera, client);
    const c = await checks();
    const person = newPerson();
    const session = new BrowserSession(tessera.issuer);

    const login = await session.follow(authorizationUrl(config, c.codeChallenge, c.state));
    expect(login.status).toBe(200);
    const afterSignUp = await registerAt(session, interactionPath(login), person);
    // Straight from the sign-up (and its mailed link) to the relying party: no consent page in between.
    expect(afterSignUp.body).not.toContain("/consent");
    const callback = redirectOf(afterSignUp);
    expect(`${callback.origin}${callback.pathname}`).toBe(rpRedirectUri);

    const tokens = await oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: c.pkceCodeVerifier, expectedState: c.state });
    const userinfo = await oidc.fetchUserInfo(config, tokens.access_token, tokens.claims()!.sub);
    expect(userinfo).toMatchObject({ name: person.name, email: person.email });

    // A second authorization in the same browser goes straight through too.
    const again = await checks();
    const second = redirectOf(await session.follow(authorizationUrl(config, again.codeChallenge, again.state)));
    expect(second.searchParams.get("code")).toBeTruthy();
    expect(second.searchParams.get("state")).toBe(again.state);
  });

  test("a client that is not first-party shows the consent page listing what it asks for", async () => {
    const client = await registerClient(tessera, codeClient({ client_name: "Third Party RP" }), { firstParty: false });
    const config = await relyingParty(tessera, client);
    const c = await checks();
    const person = newPerson();
    const session = new BrowserSession(tessera.issuer);

    const login = await session.follow(authorizationUrl(config, c.codeChallenge, c.state));
    const consent = await registerAt(session, interactionPath(login), person);
    expect(consent.status).toBe(200);
    expect(consent.location).toBeUndefined();
    expect(consent.body).toContain('/consent"');
    expect(consent.body).toContain("Third Party RP");
    expect(consent.body).toMatch(/email address/i);

    const callback = redirectOf(await session.follow(`${interactionPath(consent)}/consent`, { form: { decision: "allow" } }));
    expect(callback.searchParams.get("code")).toBeTruthy();
    expect(callback.searchParams.get("state")).toBe(c.state);
  });
});
