/**
 * OAuth 2.0 Form Post Response Mode (response_mode=form_post) for every response type a
 * certification plan runs with it: the browser gets an HTML page whose form posts the
 * response to the redirect URI by itself, the fields are exactly those of the response
 * type, RFC 9207's `iss` comes along where the discovery document promises it, and
 * openid-client accepts the posted response. Also: initiate_login_uri as client metadata.
 */
import { createHash } from "node:crypto";
import * as oidc from "openid-client";
import { authorize, BrowserSession, newPerson } from "../support/browser-session.js";
import { codeClient, registerClient, rpOrigin, rpRedirectUri, type ClientMetadata } from "../support/clients.js";
import { startTestTessera, type TestTessera } from "../support/tessera.js";
import { createCliProvider } from "../../src/cli/cli-provider.js";
import { issueInitialAccessToken } from "../../src/cli/initial-access-token.js";
import { systemClock } from "../../src/shared/clock.js";
import { checks, idTokenParts, navigate, redirectOf, relyingParty, tokenHash } from "../support/relying-party.js";
import { htmlForm } from "../support/page-text.js";

let tessera: TestTessera;
let client: ClientMetadata;
let session: BrowserSession;

beforeAll(async () => {
  tessera = await startTestTessera();
  client = await registerClient(
    tessera,
    codeClient({
      client_name: "Form Post RP",
      response_types: ["code", "id_token", "code id_token", "code id_token token"],
      grant_types: ["authorization_code", "implicit"],
    }),
  );
  // Signed up and consented once (plain code flow); later requests answer at once.
  session = new BrowserSession(tessera.issuer);
  const config = await relyingParty(tessera, client);
  const c = await checks();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: rpRedirectUri,
    scope: "openid profile email",
    state: c.state,
    code_challenge: c.codeChallenge,
    code_challenge_method: "S256",
  });
  expect(redirectOf(await authorize(session, url.href, newPerson())).searchParams.get("code")).toBeTruthy();
});
afterAll(async () => tessera?.close());

interface FormPost {
  status: number;
  headers: Headers;
  action: string;
  fields: Record<string, string>;
  body: string;
  /** The response as the relying party receives it: a POST to its redirect URI. */
  asRequest(): Request;
}

/** Sends the signed-in browser to `url` and reads the self-submitting form it gets back. */
async function formPost(url: URL, browser: { cookieHeaderFor(path: string): string } = session): Promise<FormPost> {
  const hop = await navigate(browser, url);
  expect(hop.location).toBeUndefined();
  const form = htmlForm(hop.body, /method="post"/);
  return {
    status: hop.status,
    headers: hop.headers,
    action: form.action,
    fields: form.fields,
    body: hop.body,
    asRequest: () =>
      new Request(form.action, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams(form.fields).toString(),
      }),
  };
}

function request(config: oidc.Configuration, responseType: string, c: { state: string; nonce: string; codeChallenge: string }, extra: Record<string, string> = {}) {
  return oidc.buildAuthorizationUrl(config, {
    redirect_uri: rpRedirectUri,
    response_type: responseType,
    response_mode: "form_post",
    scope: "openid profile email",
    state: c.state,
    nonce: c.nonce,
    code_challenge: c.codeChallenge,
    code_challenge_method: "S256",
    ...extra,
  });
}

/** The page must submit itself in a browser: a script that submits the form, not blocked by the page's CSP. */
function expectSelfSubmitting(post: FormPost) {
  expect(post.status).toBe(200);
  expect(post.headers.get("content-type")).toMatch(/^text\/html/);
  expect(post.headers.get("cache-control")).toMatch(/no-store/);
  expect(post.action).toBe(rpRedirectUri);
  const script = /<script>([\s\S]*?)<\/script>/.exec(post.body)?.[1];
  expect(script).toMatch(/document\.forms\[0\]\.submit\(\)/);
  const csp = post.headers.get("content-security-policy");
  if (csp) {
    // Whatever policy is sent must allow exactly this inline script (by its hash).
    const directives = Object.fromEntries(csp.split(";").map((part) => part.trim().split(/\s+/)).map(([name, ...values]): [string, string[]] => [name ?? "", values]));
    const scriptSources = directives["script-src"] ?? directives["default-src"] ?? [];
    const hash = `'sha256-${createHash("sha256").update(script!).digest("base64")}'`;
    expect(scriptSources).toContain(hash);
  }
}

const keys = (fields: Record<string, string>) => Object.keys(fields).sort();

test("discovery offers form_post and promises the iss authorization response parameter", async () => {
  const metadata = (await relyingParty(tessera, client)).serverMetadata();
  expect(metadata.response_modes_supported).toEqual(expect.arrayContaining(["query", "fragment", "form_post"]));
  expect(metadata.authorization_response_iss_parameter_supported).toBe(true);
});

test("code: a self-submitting form with code, state and iss; openid-client redeems the posted response", async () => {
  const config = await relyingParty(tessera, client);
  const c = await checks();
  const post = await formPost(request(config, "code", c));
  expectSelfSubmitting(post);
  expect(keys(post.fields)).toEqual(["code", "iss", "state"]);
  expect(post.fields.state).toBe(c.state);
  expect(post.fields.iss).toBe(tessera.issuer);

  const tokens = await oidc.authorizationCodeGrant(config, post.asRequest(), {
    pkceCodeVerifier: c.pkceCodeVerifier,
    expectedState: c.state,
    expectedNonce: c.nonce,
  });
  expect(tokens.claims()!.aud).toBe(client.client_id);
});

test("id_token: id_token and state; the id_token's iss stands for the issuer (RFC 9207 §2.4), openid-client validates it", async () => {
  const config = await relyingParty(tessera, client, { execute: [oidc.useIdTokenResponseType] });
  const c = await checks();
  const post = await formPost(request(config, "id_token", c));
  expectSelfSubmitting(post);
  expect(keys(post.fields)).toEqual(["id_token", "state"]);
  const claims = await oidc.implicitAuthentication(config, post.asRequest(), c.nonce, { expectedState: c.state });
  expect(claims.iss).toBe(tessera.issuer);
  expect(claims.nonce).toBe(c.nonce);
});

test("code id_token: code, id_token (c_hash) and state; openid-client checks and redeems it", async () => {
  const config = await relyingParty(tessera, client, { execute: [oidc.useCodeIdTokenResponseType] });
  const c = await checks();
  const post = await formPost(request(config, "code id_token", c));
  expectSelfSubmitting(post);
  expect(keys(post.fields)).toEqual(["code", "id_token", "state"]);
  const { header, claims } = idTokenParts(post.fields.id_token!);
  expect(claims.iss).toBe(tessera.issuer);
  expect(claims.c_hash).toBe(tokenHash(post.fields.code!, header.alg!));
  const tokens = await oidc.authorizationCodeGrant(config, post.asRequest(), {
    pkceCodeVerifier: c.pkceCodeVerifier,
    expectedState: c.state,
    expectedNonce: c.nonce,
  });
  expect(tokens.claims()!.sub).toBe(claims.sub);
});

test("code id_token token: every field, with c_hash and at_hash right, and the access token works", async () => {
  const config = await relyingParty(tessera, client, { execute: [oidc.useCodeIdTokenResponseType] });
  const c = await checks();
  const post = await formPost(request(config, "code id_token token", c));
  expectSelfSubmitting(post);
  expect(keys(post.fields)).toEqual(["access_token", "code", "expires_in", "id_token", "scope", "state", "token_type"]);
  expect(post.fields.token_type!.toLowerCase()).toBe("bearer");
  const { header, claims } = idTokenParts(post.fields.id_token!);
  expect(claims.iss).toBe(tessera.issuer);
  expect(claims.c_hash).toBe(tokenHash(post.fields.code!, header.alg!));
  expect(claims.at_hash).toBe(tokenHash(post.fields.access_token!, header.alg!));
  const userinfo = await oidc.fetchUserInfo(config, post.fields.access_token!, claims.sub!);
  expect(userinfo.sub).toBe(claims.sub);
  const tokens = await oidc.authorizationCodeGrant(config, post.asRequest(), {
    pkceCodeVerifier: c.pkceCodeVerifier,
    expectedState: c.state,
    expectedNonce: c.nonce,
  });
  expect(tokens.claims()!.sub).toBe(claims.sub);
});

test("an error is posted the same way, with error, state and iss (prompt=none without a session)", async () => {
  const config = await relyingParty(tessera, client);
  const c = await checks();
  const post = await formPost(request(config, "code", c, { prompt: "none" }), new BrowserSession(tessera.issuer));
  expect(post.action).toBe(rpRedirectUri);
  expect(keys(post.fields)).toEqual(expect.arrayContaining(["error", "iss", "state"]));
  expect(post.fields.error).toBe("login_required");
  expect(post.fields.iss).toBe(tessera.issuer);
  expect(post.fields.state).toBe(c.state);
  expect(post.fields.code).toBeUndefined();
  // openid-client turns it into an AuthorizationResponseError.
  const error = await oidc
    .authorizationCodeGrant(config, post.asRequest(), { pkceCodeVerifier: c.pkceCodeVerifier, expectedState: c.state })
    .then(
      () => undefined,
      (reason: { error?: string }) => reason,
    );
  expect(error?.error).toBe("login_required");
});

test("values are HTML-escaped in the form: a hostile state cannot inject markup", async () => {
  const config = await relyingParty(tessera, client);
  const c = await checks();
  const hostile = `"><script>alert(1)</script><input name="code" value="x`;
  const post = await formPost(request(config, "code", { ...c, state: hostile }));
  expect(post.fields.state).toBe(hostile);
  expect(post.body).not.toContain("<script>alert(1)</script>");
  expect(post.body.match(/<input/g)).toHaveLength(3);
});

describe("initiate_login_uri (OIDC Registration §2, third-party-initiated login)", () => {
  test("an operator-registered client with an https initiate_login_uri loads and signs in", async () => {
    const withLogin = await registerClient(tessera, codeClient({ initiate_login_uri: `${rpOrigin}/start-login` }));
    const config = await relyingParty(tessera, withLogin);
    const c = await checks();
    const url = oidc.buildAuthorizationUrl(config, { redirect_uri: rpRedirectUri, scope: "openid", state: c.state, code_challenge: c.codeChallenge, code_challenge_method: "S256" });
    const callback = redirectOf(await authorize(new BrowserSession(tessera.issuer), url.href, newPerson()));
    expect(callback.searchParams.get("code")).toBeTruthy();
  });

  test("an initiate_login_uri that is not https makes the client invalid (it must be https)", async () => {
    const insecure = await registerClient(tessera, codeClient({ initiate_login_uri: "http://rp.example.test/start-login" }));
    const url = new URL(`${tessera.issuer}/auth`);
    url.search = new URLSearchParams({ client_id: insecure.client_id, redirect_uri: rpRedirectUri, response_type: "code", scope: "openid" }).toString();
    const hop = await navigate(new BrowserSession(tessera.issuer), url);
    expect(hop.status).toBe(400);
    expect(hop.location).toBeUndefined();
    expect(hop.body).toMatch(/invalid_client/);
  });

  test("dynamic registration accepts it and reads it back at the registration client URI", async () => {
    const provider = await createCliProvider(tessera.config, tessera.db, systemClock);
    const { token } = await issueInitialAccessToken(provider, { expiresInDays: 1 });
    const registrationEndpoint = (await relyingParty(tessera, client)).serverMetadata().registration_endpoint!;
    const created = await fetch(registrationEndpoint, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify({
        client_name: "Dynamic RP",
        redirect_uris: [rpRedirectUri],
        initiate_login_uri: `${rpOrigin}/start-login`,
        response_types: ["code"],
        grant_types: ["authorization_code"],
      }),
    });
    const registered = (await created.json()) as Record<string, string>;
    expect(created.status).toBe(201);
    expect(registered.initiate_login_uri).toBe(`${rpOrigin}/start-login`);

    const read = await fetch(registered.registration_client_uri!, { headers: { authorization: `Bearer ${registered.registration_access_token}` } });
    expect(read.status).toBe(200);
    expect(((await read.json()) as Record<string, string>).initiate_login_uri).toBe(`${rpOrigin}/start-login`);
  });
});
