/**
 * RFC 8707 resource indicators with Tessera's registered resource servers (the
 * `resource_server` table): a client naming a registered API gets an RFC 9068 JWT access
 * token for it — audience the API, only the scopes the API accepts, verifiable with the
 * provider's /jwks; an unregistered resource is invalid_target; without a resource the
 * access token stays opaque and is for userinfo.
 */
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from "jose";
import * as oidc from "openid-client";
import { authorize, BrowserSession, interactionPath, newPerson, registerAt, type Person } from "../support/browser-session.js";
import { codeClient, registerClient, rpRedirectUri, type ClientMetadata } from "../support/clients.js";
import { startTestTessera, type TestTessera } from "../support/tessera.js";
import { checks, redirectOf, rejection, relyingParty } from "../support/relying-party.js";

const api = "https://api.example.test";

let tessera: TestTessera;
let client: ClientMetadata;
let config: oidc.Configuration;
let person: Person;
let session: BrowserSession;
let signedUp = false;

beforeAll(async () => {
  tessera = await startTestTessera();
  await tessera.db.prisma.resourceServer.create({ data: { identifier: api, name: "Example API", scope: "read write", accessTokenTtl: 900 } });
  client = await registerClient(tessera, codeClient({ client_name: "API Client" }));
  config = await relyingParty(tessera, client);
  person = newPerson();
  session = new BrowserSession(tessera.issuer);
});
afterAll(async () => tessera?.close());

function authorizationUrl(c: Awaited<ReturnType<typeof checks>>, scope: string, resource?: string) {
  return oidc.buildAuthorizationUrl(config, {
    redirect_uri: rpRedirectUri,
    scope,
    state: c.state,
    nonce: c.nonce,
    code_challenge: c.codeChallenge,
    code_challenge_method: "S256",
    ...(resource && { resource }),
  });
}

async function codeFlow(scope: string, resource?: string, tokenParameters?: Record<string, string>) {
  const c = await checks();
  const callback = redirectOf(await authorize(session, authorizationUrl(c, scope, resource).href, person, { existing: signedUp }));
  signedUp = true;
  return oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: c.pkceCodeVerifier, expectedState: c.state, expectedNonce: c.nonce }, tokenParameters);
}

describe("a registered resource server", () => {
  test("resource=api with scope 'openid read' gives a JWT access token for the API (RFC 9068)", async () => {
    const tokens = await codeFlow("openid read", api);
    expect(tokens.token_type.toLowerCase()).toBe("bearer");
    const header = decodeProtectedHeader(tokens.access_token);
    expect(header.typ).toBe("at+jwt");

    const jwks = createRemoteJWKSet(new URL(config.serverMetadata().jwks_uri!));
    const { payload } = await jwtVerify(tokens.access_token, jwks, { issuer: tessera.issuer, audience: api, typ: "at+jwt" });
    expect(payload.aud).toBe(api);
    expect(payload.scope).toBe("read");
    expect(payload.client_id).toBe(client.client_id);
    expect(payload.sub).toBe(tokens.claims()!.sub);
    // RFC 9068 §2.2: exp, iat and jti are required too.
    expect(typeof payload.jti).toBe("string");
    expect(payload.exp).toBeGreaterThan(payload.iat!);
    // The id_token is still for the client.
    expect(tokens.claims()!.aud).toBe(client.client_id);
  });

  test("the token lives as long as the resource server's access_token_ttl says (900 s here, neither default)", async () => {
    const tokens = await codeFlow("openid read", api);
    const { payload } = await jwtVerify(tokens.access_token, createRemoteJWKSet(new URL(config.serverMetadata().jwks_uri!)), { audience: api });
    expect(payload.exp! - payload.iat!).toBe(900);
    expect(tokens.expires_in).toBe(900);
  });

  test("scopes the API does not list are not granted for it", async () => {
    const tokens = await codeFlow("openid read delete", api);
    const { payload } = await jwtVerify(tokens.access_token, createRemoteJWKSet(new URL(config.serverMetadata().jwks_uri!)), { audience: api });
    expect(payload.scope).toBe("read");
  });

  test("the resource may be repeated at the token endpoint (RFC 8707 §2.2)", async () => {
    const tokens = await codeFlow("openid read write", api, { resource: api });
    const { payload } = await jwtVerify(tokens.access_token, createRemoteJWKSet(new URL(config.serverMetadata().jwks_uri!)), { audience: api });
    expect((payload.scope as string).split(" ").sort()).toEqual(["read", "write"]);
  });

  test("the API's token is not a userinfo token", async () => {
    const tokens = await codeFlow("openid read", api);
    const error = await rejection(oidc.fetchUserInfo(config, tokens.access_token, tokens.claims()!.sub));
    expect(error.status).toBe(401);
  });

  test("the consent page tells the person which API the application wants to reach", async () => {
    const thirdParty = await registerClient(tessera, codeClient({ client_name: "API Consent Client" }));
    const rp = await relyingParty(tessera, thirdParty);
    const c = await checks();
    const url = oidc.buildAuthorizationUrl(rp, { redirect_uri: rpRedirectUri, scope: "openid read", resource: api, state: c.state, code_challenge: c.codeChallenge, code_challenge_method: "S256" });
    const fresh = new BrowserSession(tessera.issuer);
    const other = newPerson();
    const login = await fresh.follow(url.href);
    const consent = await registerAt(fresh, interactionPath(login), other);
    expect(consent.body).toContain('/consent"');
    // Consent that does not say what is being consented to is not informed consent.
    expect(consent.body).toMatch(/Example API|api\.example\.test/);
    expect(consent.body).toMatch(/\bread\b/);
  });

  test("a first-party client asking for the API gets its token without a consent page", async () => {
    const firstParty = await registerClient(tessera, codeClient({ client_name: "First Party API Client" }), { firstParty: true });
    const rp = await relyingParty(tessera, firstParty);
    const c = await checks();
    const url = oidc.buildAuthorizationUrl(rp, { redirect_uri: rpRedirectUri, scope: "openid read", resource: api, state: c.state, code_challenge: c.codeChallenge, code_challenge_method: "S256" });
    const fresh = new BrowserSession(tessera.issuer);
    const other = newPerson();
    const login = await fresh.follow(url.href);
    const after = await registerAt(fresh, interactionPath(login), other);
    expect(after.body).not.toContain('/consent"');
    const callback = redirectOf(after);
    const tokens = await oidc.authorizationCodeGrant(rp, callback, { pkceCodeVerifier: c.pkceCodeVerifier, expectedState: c.state });
    const { payload } = await jwtVerify(tokens.access_token, createRemoteJWKSet(new URL(config.serverMetadata().jwks_uri!)), { audience: api });
    expect(payload.scope).toBe("read");
  });
});

describe("client credentials for a registered resource server", () => {
  test("a service client gets a JWT for the API with the API's lifetime", async () => {
    const service = await registerClient(tessera, codeClient({ grant_types: ["client_credentials"], response_types: [], redirect_uris: [] }));
    const rp = await relyingParty(tessera, service);
    const tokens = await oidc.clientCredentialsGrant(rp, { resource: api, scope: "read" });
    const { payload, protectedHeader } = await jwtVerify(tokens.access_token, createRemoteJWKSet(new URL(config.serverMetadata().jwks_uri!)), {
      issuer: tessera.issuer,
      audience: api,
    });
    expect(protectedHeader.typ).toBe("at+jwt");
    expect(payload.scope).toBe("read");
    expect(payload.client_id).toBe(service.client_id);
    expect(payload.exp! - payload.iat!).toBe(900);
  });

  test("client credentials for an unregistered resource: invalid_target", async () => {
    const service = await registerClient(tessera, codeClient({ grant_types: ["client_credentials"], response_types: [], redirect_uris: [] }));
    const error = await rejection(oidc.clientCredentialsGrant(await relyingParty(tessera, service), { resource: "https://unknown.example.test", scope: "read" }));
    expect(error.error).toBe("invalid_target");
  });
});

describe("resources that are not registered", () => {
  test("an unregistered resource at the authorization endpoint is invalid_target, back to the client", async () => {
    const c = await checks();
    const hop = await session.follow(authorizationUrl(c, "openid read", "https://unknown.example.test").href);
    const callback = redirectOf(hop);
    expect(`${callback.origin}${callback.pathname}`).toBe(rpRedirectUri);
    expect(callback.searchParams.get("error")).toBe("invalid_target");
    expect(callback.searchParams.get("state")).toBe(c.state);
    expect(callback.searchParams.get("code")).toBeNull();
  });

  test("a resource at the token endpoint other than the one granted is invalid_target", async () => {
    const c = await checks();
    const callback = redirectOf(await authorize(session, authorizationUrl(c, "openid read", api).href, person, { existing: signedUp }));
    signedUp = true;
    const error = await rejection(
      oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: c.pkceCodeVerifier, expectedState: c.state, expectedNonce: c.nonce }, { resource: "https://unknown.example.test" }),
    );
    expect(error.error).toBe("invalid_target");
  });
});

describe("no resource", () => {
  test("the access token is opaque and works at userinfo", async () => {
    const tokens = await codeFlow("openid email");
    // Opaque: not a JWS (three base64url segments).
    expect(tokens.access_token.split(".")).toHaveLength(1);
    const userinfo = await oidc.fetchUserInfo(config, tokens.access_token, tokens.claims()!.sub);
    expect(userinfo).toMatchObject({ sub: tokens.claims()!.sub, email: person.email });
    const introspection = await oidc.tokenIntrospection(config, tokens.access_token);
    expect(introspection.active).toBe(true);
    expect(introspection.aud).toBeUndefined();
  });
});
