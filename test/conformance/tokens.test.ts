/**
 * What a relying party does with tokens after the code flow: refresh (offline_access,
 * rotation), introspection and revocation, RP-initiated logout, and the client
 * credentials grant.
 */
import * as oidc from "openid-client";
import { authorize, BrowserSession, newPerson, type Person } from "../support/browser-session.js";
import { codeClient, registerClient, rpPostLogoutRedirectUri, rpRedirectUri, uniqueClientId, type ClientMetadata } from "../support/clients.js";
import { startTestTessera, type TestTessera } from "../support/tessera.js";
import { checks, redirectOf, rejection, relyingParty } from "../support/relying-party.js";
import { formById } from "../support/page-text.js";

let tessera: TestTessera;
beforeAll(async () => {
  tessera = await startTestTessera();
});
afterAll(async () => tessera?.close());

async function signIn(
  config: oidc.Configuration,
  options: { scope?: string; prompt?: string; session?: BrowserSession; person?: Person } = {},
) {
  const c = await checks();
  const session = options.session ?? new BrowserSession(tessera.issuer);
  const person = options.person ?? newPerson();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: rpRedirectUri,
    scope: options.scope ?? "openid profile email",
    code_challenge: c.codeChallenge,
    code_challenge_method: "S256",
    state: c.state,
    nonce: c.nonce,
    ...(options.prompt && { prompt: options.prompt }),
  });
  const callback = redirectOf(await authorize(session, url.href, person));
  const tokens = await oidc.authorizationCodeGrant(config, callback, {
    pkceCodeVerifier: c.pkceCodeVerifier,
    expectedState: c.state,
    expectedNonce: c.nonce,
  });
  return { tokens, session, person };
}

describe("refresh tokens (offline_access)", () => {
  let client: ClientMetadata;
  let config: oidc.Configuration;
  beforeAll(async () => {
    client = await registerClient(tessera, codeClient({ grant_types: ["authorization_code", "refresh_token"] }));
    config = await relyingParty(tessera, client);
  });

  test("offline_access with prompt=consent yields a refresh token; refreshing works and rotates it", async () => {
    const { tokens } = await signIn(config, { scope: "openid profile email offline_access", prompt: "consent" });
    const sub = tokens.claims()!.sub;
    const first = tokens.refresh_token;
    expect(typeof first).toBe("string");
    expect(tokens.scope?.split(" ")).toContain("offline_access");

    const refreshed = await oidc.refreshTokenGrant(config, first!);
    expect(refreshed.access_token).not.toBe(tokens.access_token);
    expect(typeof refreshed.refresh_token).toBe("string");
    expect(refreshed.refresh_token).not.toBe(first);
    // A refreshed id_token (validated by openid-client) still names the same account.
    expect(refreshed.claims()?.sub).toBe(sub);
    const userinfo = await oidc.fetchUserInfo(config, refreshed.access_token, sub);
    expect(userinfo.sub).toBe(sub);

    // The rotated-out refresh token is refused.
    const reuse = await rejection(oidc.refreshTokenGrant(config, first!));
    expect(reuse.error).toBe("invalid_grant");
    expect(reuse.status).toBe(400);
  });

  test("replaying a rotated-out refresh token also kills its successor (the grant is revoked)", async () => {
    const { tokens } = await signIn(config, { scope: "openid offline_access", prompt: "consent" });
    const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token!);
    expect((await rejection(oidc.refreshTokenGrant(config, tokens.refresh_token!))).error).toBe("invalid_grant");

    const successor = await rejection(oidc.refreshTokenGrant(config, refreshed.refresh_token!));
    expect(successor.error).toBe("invalid_grant");
    expect((await oidc.tokenIntrospection(config, refreshed.access_token)).active).toBe(false);
  });

  test("offline_access without prompt=consent is dropped: no refresh token", async () => {
    const { tokens } = await signIn(config, { scope: "openid offline_access" });
    expect(tokens.refresh_token).toBeUndefined();
    expect(tokens.scope?.split(" ") ?? []).not.toContain("offline_access");
  });

  test("a client not registered for refresh_token gets none even with offline_access and prompt=consent", async () => {
    const plain = await registerClient(tessera, codeClient({ grant_types: ["authorization_code"] }));
    const plainConfig = await relyingParty(tessera, plain);
    const { tokens } = await signIn(plainConfig, { scope: "openid offline_access", prompt: "consent" });
    expect(tokens.refresh_token).toBeUndefined();
  });
});

describe("introspection and revocation", () => {
  test("a live access token introspects active with its subject, client and scope", async () => {
    const client = await registerClient(tessera, codeClient());
    const config = await relyingParty(tessera, client);
    const { tokens } = await signIn(config);

    const introspection = await oidc.tokenIntrospection(config, tokens.access_token);
    expect(introspection.active).toBe(true);
    expect(introspection.sub).toBe(tokens.claims()!.sub);
    expect(introspection.client_id).toBe(client.client_id);
    expect(introspection.scope?.split(" ").sort()).toEqual(["email", "openid", "profile"]);
    expect(introspection.exp).toBeGreaterThan(Date.now() / 1000);
  });

  test("after revocation the access token introspects inactive and userinfo refuses it", async () => {
    const client = await registerClient(tessera, codeClient());
    const config = await relyingParty(tessera, client);
    const { tokens } = await signIn(config);
    const sub = tokens.claims()!.sub;
    expect((await oidc.tokenIntrospection(config, tokens.access_token)).active).toBe(true);

    await oidc.tokenRevocation(config, tokens.access_token);

    const introspection = await oidc.tokenIntrospection(config, tokens.access_token);
    expect(introspection).toEqual({ active: false });
    const userinfo = await rejection(oidc.fetchUserInfo(config, tokens.access_token, sub));
    expect(userinfo.status).toBe(401);
  });

  test("a revoked refresh token can no longer be used", async () => {
    const client = await registerClient(tessera, codeClient({ grant_types: ["authorization_code", "refresh_token"] }));
    const config = await relyingParty(tessera, client);
    const { tokens } = await signIn(config, { scope: "openid offline_access", prompt: "consent" });
    expect((await oidc.tokenIntrospection(config, tokens.refresh_token!)).active).toBe(true);

    await oidc.tokenRevocation(config, tokens.refresh_token!, { token_type_hint: "refresh_token" });

    expect((await oidc.tokenIntrospection(config, tokens.refresh_token!)).active).toBe(false);
    expect((await rejection(oidc.refreshTokenGrant(config, tokens.refresh_token!))).error).toBe("invalid_grant");
  });

  test("another confidential client cannot introspect the token (it is not the token's audience)", async () => {
    const owner = await registerClient(tessera, codeClient());
    const other = await registerClient(tessera, codeClient());
    const { tokens } = await signIn(await relyingParty(tessera, owner));
    const introspection = await oidc.tokenIntrospection(await relyingParty(tessera, other), tokens.access_token);
    expect(introspection.active).toBe(false);
  });
});

describe("RP-initiated logout", () => {
  test("end_session with id_token_hint shows the confirmation page; confirming redirects with state and ends the session", async () => {
    const client = await registerClient(tessera, codeClient({ client_name: "Logout RP" }));
    const config = await relyingParty(tessera, client);
    const { tokens, session } = await signIn(config);
    const state = oidc.randomState();

    const endSession = oidc.buildEndSessionUrl(config, {
      id_token_hint: tokens.id_token!,
      post_logout_redirect_uri: rpPostLogoutRedirectUri,
      state,
    });
    const page = await session.follow(endSession.href);
    expect(page.status).toBe(200);
    expect(page.location).toBeUndefined();
    // Tessera's layout, not the library's bare page.
    expect(page.body).toMatch(/<title>[^<]*Sign out[^<]*Tessera<\/title>/);
    expect(page.body).toContain('class="brand-name">Tessera<');
    expect(page.body).toContain("Logout RP");
    expect(page.body).toContain("Yes, sign me out");

    const form = formById(page.body, "op.logoutForm");
    const done = await session.follow(form.action, { form: { ...form.fields, logout: "yes" } });
    const redirect = redirectOf(done);
    expect(`${redirect.origin}${redirect.pathname}`).toBe(rpPostLogoutRedirectUri);
    expect(redirect.searchParams.get("state")).toBe(state);

    // The browser's session is gone: a silent authorization needs a login again.
    const silentState = oidc.randomState();
    const silent = oidc.buildAuthorizationUrl(config, {
      redirect_uri: rpRedirectUri,
      scope: "openid",
      prompt: "none",
      state: silentState,
      code_challenge: (await checks()).codeChallenge,
      code_challenge_method: "S256",
    });
    const callback = redirectOf(await session.follow(silent.href));
    expect(`${callback.origin}${callback.pathname}`).toBe(rpRedirectUri);
    expect(callback.searchParams.get("error")).toBe("login_required");
    expect(callback.searchParams.get("state")).toBe(silentState);
  });

  test("before logout, the same prompt=none authorization succeeds silently (so the check above means something)", async () => {
    const client = await registerClient(tessera, codeClient());
    const config = await relyingParty(tessera, client);
    const { session } = await signIn(config);
    const state = oidc.randomState();
    const silent = oidc.buildAuthorizationUrl(config, {
      redirect_uri: rpRedirectUri,
      scope: "openid profile email",
      prompt: "none",
      state,
      code_challenge: (await checks()).codeChallenge,
      code_challenge_method: "S256",
    });
    const callback = redirectOf(await session.follow(silent.href));
    expect(callback.searchParams.get("error")).toBeNull();
    expect(callback.searchParams.get("code")).toBeTruthy();
    expect(callback.searchParams.get("state")).toBe(state);
  });

  test("an unregistered post_logout_redirect_uri is refused with an error page, never a redirect", async () => {
    const client = await registerClient(tessera, codeClient());
    const config = await relyingParty(tessera, client);
    const { tokens, session } = await signIn(config);
    const endSession = oidc.buildEndSessionUrl(config, {
      id_token_hint: tokens.id_token!,
      post_logout_redirect_uri: "https://evil.example/logged-out",
    });
    const hop = await session.follow(endSession.href);
    expect(hop.status).toBe(400);
    expect(hop.location).toBeUndefined();
    expect(hop.body).toContain("post_logout_redirect_uri");
  });
});

describe("client_credentials", () => {
  test("a client registered for client_credentials gets an access token, and no id_token or refresh token", async () => {
    const client = await registerClient(tessera, {
      ...codeClient({ grant_types: ["client_credentials"], response_types: [], redirect_uris: [] }),
      client_id: uniqueClientId("service"),
    });
    const config = await relyingParty(tessera, client);

    const tokens = await oidc.clientCredentialsGrant(config);
    expect(typeof tokens.access_token).toBe("string");
    expect(tokens.token_type.toLowerCase()).toBe("bearer");
    expect(tokens.expires_in).toBeGreaterThan(0);
    expect(tokens.expires_in).toBeLessThanOrEqual(600);
    expect(tokens.id_token).toBeUndefined();
    expect(tokens.refresh_token).toBeUndefined();

    const introspection = await oidc.tokenIntrospection(config, tokens.access_token);
    expect(introspection.active).toBe(true);
    expect(introspection.client_id).toBe(client.client_id);
    expect(introspection.sub).toBeUndefined();
  });

  test("a code-flow client without the client_credentials grant is refused", async () => {
    const client = await registerClient(tessera, codeClient());
    const config = await relyingParty(tessera, client);
    const error = await rejection(oidc.clientCredentialsGrant(config));
    expect(error.status).toBe(400);
    // RFC 6749 §5.2 names this unauthorized_client; node-oidc-provider answers invalid_request
    // ("requested grant type is not allowed for this client"). Either way: no token.
    expect(["unauthorized_client", "invalid_request"]).toContain(error.error);
    expect(error.error_description).toMatch(/grant type/);
  });
});
