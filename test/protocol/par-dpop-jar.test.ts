/**
 * Three request-hardening specifications as an RP (openid-client) uses them:
 * - RFC 9126 pushed authorization requests: the pushed request's request_uri is short-lived
 *   and good for one authorization only.
 * - RFC 9449 DPoP: a sender-constrained access token works at userinfo only with a fresh
 *   proof, made with the bound key, for that method and URL.
 * - RFC 9101 JWT-secured authorization requests: a request object signed with the client's
 *   registered key is honoured; one with a bad signature, or unsigned, is refused.
 */
import { createHash, randomUUID } from "node:crypto";
import { calculateJwkThumbprint, exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from "jose";
import * as oidc from "openid-client";
import { authorize, BrowserSession, newPerson, type Person } from "../support/browser-session.js";
import { codeClient, registerClient, rpRedirectUri, uniqueClientId, type ClientMetadata } from "../support/clients.js";
import { startTestTessera, type TestTessera } from "../support/tessera.js";
import { checks, navigate, redirectOf, rejection, relyingParty } from "../support/relying-party.js";

let tessera: TestTessera;
/** One person in one browser, signed up by the first authorization and reused after. */
let person: Person;
let session: BrowserSession;
let signedUp = false;

beforeAll(async () => {
  tessera = await startTestTessera();
  person = newPerson();
  session = new BrowserSession(tessera.issuer);
});
afterAll(async () => tessera?.close());

/** Sends the browser to an authorization URL, signing up (first time) or in, and consenting. */
async function callbackFor(url: URL): Promise<URL> {
  const hop = await authorize(session, url.href, person, { existing: signedUp });
  signedUp = true;
  return redirectOf(hop);
}

function basic(client: ClientMetadata): string {
  return `Basic ${Buffer.from(`${encodeURIComponent(client.client_id)}:${encodeURIComponent(client.client_secret!)}`).toString("base64")}`;
}

describe("pushed authorization requests (RFC 9126)", () => {
  let client: ClientMetadata;
  let config: oidc.Configuration;

  beforeAll(async () => {
    client = await registerClient(tessera, codeClient({ client_name: "PAR RP" }));
    config = await relyingParty(tessera, client);
  });

  async function push(params: Record<string, string>) {
    const response = await fetch(config.serverMetadata().pushed_authorization_request_endpoint!, {
      method: "POST",
      headers: { authorization: basic(client), "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
      // A pushed request is an authorization request: client_id is one of its parameters
      // (RFC 9126 §2.1, RFC 6749 §4.1.1) even when the client authenticates with Basic.
      body: new URLSearchParams({ client_id: client.client_id, ...params }).toString(),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  test("a pushed request answers 201 with a request_uri and its expires_in", async () => {
    const c = await checks();
    const pushed = await push({ response_type: "code", redirect_uri: rpRedirectUri, scope: "openid", state: c.state, code_challenge: c.codeChallenge, code_challenge_method: "S256" });
    expect(pushed.status).toBe(201);
    expect(pushed.body.request_uri).toMatch(/^urn:ietf:params:oauth:request_uri:.+/);
    expect(typeof pushed.body.expires_in).toBe("number");
    expect(pushed.body.expires_in).toBeGreaterThan(0);
    expect(pushed.body.expires_in).toBeLessThanOrEqual(600);
  });

  test("a pushed request that is invalid is refused at the push, not later", async () => {
    const pushed = await push({ response_type: "code", redirect_uri: "https://evil.example/cb", scope: "openid" });
    expect(pushed.status).toBe(400);
    expect(pushed.body.error).toBe("invalid_request");
  });

  test("authorizing with the request_uri works once; the same request_uri again is refused", async () => {
    const c = await checks();
    const url = await oidc.buildAuthorizationUrlWithPAR(config, {
      redirect_uri: rpRedirectUri,
      scope: "openid email",
      state: c.state,
      nonce: c.nonce,
      code_challenge: c.codeChallenge,
      code_challenge_method: "S256",
    });
    // The front channel carries only client_id and request_uri.
    expect([...url.searchParams.keys()].sort()).toEqual(["client_id", "request_uri"]);

    const callback = await callbackFor(url);
    expect(callback.searchParams.get("state")).toBe(c.state);
    const tokens = await oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: c.pkceCodeVerifier, expectedState: c.state, expectedNonce: c.nonce });
    expect(tokens.claims()!.nonce).toBe(c.nonce);

    // Replaying the front-channel URL (the browser is signed in and has consented, so a
    // second use would otherwise issue a new code at once).
    const replay = await navigate(session, url);
    const refused = replay.location ? new URL(replay.location) : undefined;
    expect(refused?.searchParams.get("code") ?? null).toBeNull();
    if (refused) {
      expect(refused.searchParams.get("error")).toBe("invalid_request_uri");
    } else {
      expect(replay.status).toBe(400);
      expect(replay.body).toContain("invalid_request_uri");
    }
  });

  test("a request_uri that was never pushed is refused", async () => {
    const url = new URL(config.serverMetadata().authorization_endpoint!);
    url.search = new URLSearchParams({ client_id: client.client_id, request_uri: "urn:ietf:params:oauth:request_uri:never-pushed" }).toString();
    const hop = await navigate(session, url);
    // The client has a single registered redirect URI, so the error may go back to it.
    const redirect = hop.location ? new URL(hop.location) : undefined;
    if (redirect) {
      expect(`${redirect.origin}${redirect.pathname}`).toBe(rpRedirectUri);
      expect(redirect.searchParams.get("error")).toBe("invalid_request_uri");
      expect(redirect.searchParams.get("code")).toBeNull();
    } else {
      expect(hop.status).toBe(400);
      expect(hop.body).toContain("invalid_request_uri");
    }
  });

  test("a client registered with require_pushed_authorization_requests cannot skip the push", async () => {
    const strict = await registerClient(tessera, codeClient({ require_pushed_authorization_requests: true }));
    const strictConfig = await relyingParty(tessera, strict);
    const c = await checks();
    const plain = oidc.buildAuthorizationUrl(strictConfig, { redirect_uri: rpRedirectUri, scope: "openid", state: c.state, code_challenge: c.codeChallenge, code_challenge_method: "S256" });
    const hop = await navigate(session, plain);
    const error = hop.location ? new URL(hop.location).searchParams.get("error") : /invalid_request/.exec(hop.body)?.[0];
    expect(error).toBe("invalid_request");
    expect(hop.location ? new URL(hop.location).searchParams.get("code") : null).toBeNull();
  });
});

describe("DPoP (RFC 9449)", () => {
  let config: oidc.Configuration;
  let keyPair: Awaited<ReturnType<typeof oidc.randomDPoPKeyPair>>;
  let publicJwk: JWK;
  let accessToken: string;
  let sub: string;
  let userinfoEndpoint: string;

  beforeAll(async () => {
    const client = await registerClient(tessera, codeClient({ client_name: "DPoP RP" }));
    config = await relyingParty(tessera, client);
    userinfoEndpoint = config.serverMetadata().userinfo_endpoint!;
    keyPair = await oidc.randomDPoPKeyPair("ES256");
    publicJwk = await exportJWK(keyPair.publicKey);
  });

  /** A DPoP proof JWT (RFC 9449 §4.2) by hand, so each part can be got wrong on purpose. */
  async function proof(options: { htm: string; htu: string; token?: string; key?: CryptoKey; jwk?: JWK; jti?: string }) {
    return new SignJWT({
      htm: options.htm,
      htu: options.htu,
      jti: options.jti ?? randomUUID(),
      ...(options.token && { ath: createHash("sha256").update(options.token).digest("base64url") }),
    })
      .setProtectedHeader({ alg: "ES256", typ: "dpop+jwt", jwk: options.jwk ?? publicJwk })
      .setIssuedAt()
      .sign(options.key ?? keyPair.privateKey);
  }

  async function userinfo(headers: Record<string, string>, method = "GET") {
    const response = await fetch(userinfoEndpoint, { method, headers: { accept: "application/json", ...headers } });
    return { status: response.status, challenge: response.headers.get("www-authenticate") ?? "", body: await response.text() };
  }

  test("the code exchanged with a DPoP proof gives a DPoP-bound access token (token_type DPoP)", async () => {
    const DPoP = oidc.getDPoPHandle(config, keyPair);
    const c = await checks();
    const url = oidc.buildAuthorizationUrl(config, { redirect_uri: rpRedirectUri, scope: "openid email", state: c.state, code_challenge: c.codeChallenge, code_challenge_method: "S256" });
    const callback = await callbackFor(url);
    const tokens = await oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: c.pkceCodeVerifier, expectedState: c.state }, undefined, { DPoP });
    expect(tokens.token_type).toMatch(/^dpop$/i);
    accessToken = tokens.access_token;
    sub = tokens.claims()!.sub;

    // The token is bound to the key's thumbprint (RFC 9449 §6), as introspection shows.
    const introspection = await oidc.tokenIntrospection(config, accessToken);
    expect(introspection.active).toBe(true);
    expect(introspection.token_type).toBe("DPoP");
    expect((introspection.cnf as { jkt?: string } | undefined)?.jkt).toBe(await calculateJwkThumbprint(publicJwk, "sha256"));

    // openid-client sends the token with a proof: userinfo answers.
    const info = await oidc.fetchUserInfo(config, accessToken, sub, { DPoP });
    expect(info).toMatchObject({ sub, email: person.email });
  });

  test("with a correct hand-made proof (htm, htu, ath) userinfo answers 200", async () => {
    const ok = await userinfo({ authorization: `DPoP ${accessToken}`, dpop: await proof({ htm: "GET", htu: userinfoEndpoint, token: accessToken }) });
    expect(ok.status).toBe(200);
    expect((JSON.parse(ok.body) as { sub?: string }).sub).toBe(sub);
  });

  test("without a proof the token is refused, with a DPoP challenge", async () => {
    const missing = await userinfo({ authorization: `DPoP ${accessToken}` });
    // node-oidc-provider treats the missing DPoP header as a malformed request (RFC 6750
    // §3.1 invalid_request, 400); either way the token alone buys nothing.
    expect([400, 401]).toContain(missing.status);
    expect(missing.challenge).toMatch(/^DPoP /);
    expect(missing.challenge).toMatch(/error="(invalid_request|invalid_token|invalid_dpop_proof)"/);
    expect(missing.body).not.toContain(sub);
  });

  test("presented as a plain bearer token it is refused", async () => {
    const bearer = await userinfo({ authorization: `Bearer ${accessToken}` });
    expect(bearer.status).toBe(401);
  });

  test("a proof made for another URL (htu) is refused", async () => {
    const other = await userinfo({ authorization: `DPoP ${accessToken}`, dpop: await proof({ htm: "GET", htu: config.serverMetadata().token_endpoint!, token: accessToken }) });
    expect(other.status).toBe(401);
    expect(other.challenge).toMatch(/invalid_dpop_proof/);
  });

  test("a proof made for another method (htm) is refused", async () => {
    const post = await userinfo({ authorization: `DPoP ${accessToken}`, dpop: await proof({ htm: "POST", htu: userinfoEndpoint, token: accessToken }) });
    expect(post.status).toBe(401);
    expect(post.challenge).toMatch(/invalid_dpop_proof/);
  });

  test("a proof without the access token hash (ath), or for another token, is refused", async () => {
    const noAth = await userinfo({ authorization: `DPoP ${accessToken}`, dpop: await proof({ htm: "GET", htu: userinfoEndpoint }) });
    expect(noAth.status).toBe(401);
    const otherAth = await userinfo({ authorization: `DPoP ${accessToken}`, dpop: await proof({ htm: "GET", htu: userinfoEndpoint, token: "another-token" }) });
    expect(otherAth.status).toBe(401);
  });

  test("a valid proof made with another key is refused (the token is bound to the first key)", async () => {
    const other = await generateKeyPair("ES256");
    const forged = await userinfo({
      authorization: `DPoP ${accessToken}`,
      dpop: await proof({ htm: "GET", htu: userinfoEndpoint, token: accessToken, key: other.privateKey, jwk: await exportJWK(other.publicKey) }),
    });
    expect(forged.status).toBe(401);
  });

  test("the same proof cannot be used twice (jti replay)", async () => {
    const once = await proof({ htm: "GET", htu: userinfoEndpoint, token: accessToken });
    expect((await userinfo({ authorization: `DPoP ${accessToken}`, dpop: once })).status).toBe(200);
    expect((await userinfo({ authorization: `DPoP ${accessToken}`, dpop: once })).status).toBe(401);
  });
});

describe("request objects (RFC 9101)", () => {
  let client: ClientMetadata;
  let config: oidc.Configuration;
  let signingKey: CryptoKey;
  const kid = uniqueClientId("jar-key");

  beforeAll(async () => {
    const { privateKey, publicKey } = await generateKeyPair("ES256");
    signingKey = privateKey;
    client = await registerClient(
      tessera,
      codeClient({
        client_name: "JAR RP",
        request_object_signing_alg: "ES256",
        jwks: { keys: [{ ...(await exportJWK(publicKey)), kid, alg: "ES256", use: "sig" }] },
      }),
    );
    config = await relyingParty(tessera, client);
  });

  function parameters(c: Awaited<ReturnType<typeof checks>>) {
    return { redirect_uri: rpRedirectUri, scope: "openid email", state: c.state, nonce: c.nonce, code_challenge: c.codeChallenge, code_challenge_method: "S256" };
  }

  test("discovery offers request objects (by value) signed with ES256", () => {
    const metadata = config.serverMetadata();
    expect(metadata.request_parameter_supported).toBe(true);
    expect(metadata.request_object_signing_alg_values_supported).toContain("ES256");
  });

  test("a request object signed with the registered key is honoured", async () => {
    const c = await checks();
    const url = await oidc.buildAuthorizationUrlWithJAR(config, parameters(c), { key: signingKey, kid });
    expect([...url.searchParams.keys()].sort()).toEqual(["client_id", "request"]);
    const callback = await callbackFor(url);
    expect(callback.searchParams.get("state")).toBe(c.state);
    const tokens = await oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: c.pkceCodeVerifier, expectedState: c.state, expectedNonce: c.nonce });
    expect(tokens.claims()!.nonce).toBe(c.nonce);
  });

  test("a signed request object can also be pushed (JAR + PAR)", async () => {
    const c = await checks();
    const jar = await oidc.buildAuthorizationUrlWithJAR(config, parameters(c), { key: signingKey, kid });
    const url = await oidc.buildAuthorizationUrlWithPAR(config, jar.searchParams);
    const callback = await callbackFor(url);
    expect(callback.searchParams.get("state")).toBe(c.state);
    expect(callback.searchParams.get("code")).toBeTruthy();
  });

  test("a request object with a bad signature is refused with invalid_request_object", async () => {
    const { privateKey: otherKey } = await generateKeyPair("ES256");
    const c = await checks();
    // Same kid, other key: the signature does not verify against the registered key.
    const url = await oidc.buildAuthorizationUrlWithJAR(config, parameters(c), { key: otherKey, kid });
    const hop = await navigate(session, url);
    const redirect = hop.location ? new URL(hop.location) : undefined;
    expect(redirect?.searchParams.get("code") ?? null).toBeNull();
    const error = redirect ? redirect.searchParams.get("error") : /invalid_request_object/.exec(hop.body)?.[0];
    expect(error).toBe("invalid_request_object");
    if (!redirect) expect(hop.status).toBe(400);
  });

  test("a pushed request object with a bad signature is refused at the push endpoint", async () => {
    const { privateKey: otherKey } = await generateKeyPair("ES256");
    const c = await checks();
    const jar = await oidc.buildAuthorizationUrlWithJAR(config, parameters(c), { key: otherKey, kid });
    const error = await rejection(oidc.buildAuthorizationUrlWithPAR(config, jar.searchParams));
    expect(error.error).toBe("invalid_request_object");
  });

  test("an unsigned request object (alg none) is refused", async () => {
    const c = await checks();
    const now = Math.floor(Date.now() / 1000);
    const header = Buffer.from(JSON.stringify({ alg: "none", typ: "oauth-authz-req+jwt" })).toString("base64url");
    const payload = Buffer.from(
      JSON.stringify({ ...parameters(c), response_type: "code", client_id: client.client_id, iss: client.client_id, aud: tessera.issuer, iat: now, exp: now + 60 }),
    ).toString("base64url");
    const url = new URL(config.serverMetadata().authorization_endpoint!);
    url.search = new URLSearchParams({ client_id: client.client_id, request: `${header}.${payload}.` }).toString();
    const hop = await navigate(session, url);
    const redirect = hop.location ? new URL(hop.location) : undefined;
    expect(redirect?.searchParams.get("code") ?? null).toBeNull();
    const error = redirect ? redirect.searchParams.get("error") : /invalid_request_object/.exec(hop.body)?.[0];
    expect(error).toBe("invalid_request_object");
  });
});
