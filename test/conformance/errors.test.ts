/**
 * The refusals a relying party must be able to rely on: replayed and concurrently redeemed
 * codes, redirect URI and client authentication checks, nonce and PKCE enforcement, and
 * bearer token errors at userinfo.
 */
import * as oidc from "openid-client";
import { authorize, BrowserSession, newPerson } from "../support/browser-session.js";
import { codeClient, registerClient, rpRedirectUri, type ClientMetadata } from "../support/clients.js";
import { startTestTessera, type TestTessera } from "../support/tessera.js";
import { checks, fragmentParams, redirectOf, rejection, relyingParty, tokenRequest } from "../support/relying-party.js";

let tessera: TestTessera;
let client: ClientMetadata;
let config: oidc.Configuration;
/** One signed-in, consented browser: later authorizations go straight back with a code. */
let session: BrowserSession;
const person = newPerson();
let signedUp = false;

beforeAll(async () => {
  tessera = await startTestTessera();
  client = await registerClient(
    tessera,
    codeClient({ response_types: ["code", "id_token"], grant_types: ["authorization_code", "implicit"] }),
  );
  config = await relyingParty(tessera, client);
  session = new BrowserSession(tessera.issuer);
});
afterAll(async () => tessera?.close());

/** A fresh authorization code (with its PKCE verifier and state) for `client`. */
async function freshCode() {
  const c = await checks();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: rpRedirectUri,
    scope: "openid profile email",
    code_challenge: c.codeChallenge,
    code_challenge_method: "S256",
    state: c.state,
    nonce: c.nonce,
  });
  const callback = redirectOf(await authorize(session, url.href, person, { existing: signedUp }));
  signedUp = true;
  const code = callback.searchParams.get("code");
  if (!code) throw new Error(`no code in ${callback.href}`);
  return { ...c, callback, code };
}

describe("authorization code replay", () => {
  test("a second redemption is invalid_grant and revokes the access token of the first", async () => {
    const { callback, pkceCodeVerifier, state, nonce } = await freshCode();
    const tokens = await oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier, expectedState: state, expectedNonce: nonce });
    const sub = tokens.claims()!.sub;
    expect((await oidc.tokenIntrospection(config, tokens.access_token)).active).toBe(true);

    const replay = await rejection(oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier, expectedState: state, expectedNonce: nonce }));
    expect(replay.error).toBe("invalid_grant");
    expect(replay.status).toBe(400);

    // RFC 6749 §4.1.2: tokens issued from a replayed code are revoked.
    expect(await oidc.tokenIntrospection(config, tokens.access_token)).toEqual({ active: false });
    const userinfo = await rejection(oidc.fetchUserInfo(config, tokens.access_token, sub));
    expect(userinfo.status).toBe(401);
  });

  test("two concurrent redemptions of one code: exactly one succeeds, the other is invalid_grant", async () => {
    for (let round = 0; round < 5; round++) {
      const { code, pkceCodeVerifier } = await freshCode();
      const form = { grant_type: "authorization_code", code, redirect_uri: rpRedirectUri, code_verifier: pkceCodeVerifier };
      const results = await Promise.all([tokenRequest(config, client, form), tokenRequest(config, client, form)]);

      const succeeded = results.filter((result) => result.status === 200);
      const refused = results.filter((result) => result.status !== 200);
      expect(succeeded).toHaveLength(1);
      expect(typeof succeeded[0]!.body.access_token).toBe("string");
      expect(refused).toHaveLength(1);
      expect(refused[0]!.status).toBe(400);
      expect(refused[0]!.body.error).toBe("invalid_grant");
    }
  });

  test("after a concurrent double redemption the winner's access token is revoked too, as after a sequential replay", async () => {
    // A race between the legitimate client and a thief with the same code must not leave
    // whoever won holding a live token: the replay revokes the grant (RFC 6749 §4.1.2,
    // RFC 9700 §4.2.4). Several rounds, because the interleaving decides which path runs.
    for (let round = 0; round < 10; round++) {
      const { code, pkceCodeVerifier } = await freshCode();
      const form = { grant_type: "authorization_code", code, redirect_uri: rpRedirectUri, code_verifier: pkceCodeVerifier };
      const results = await Promise.all([tokenRequest(config, client, form), tokenRequest(config, client, form)]);
      const winner = results.find((result) => result.status === 200);
      expect(winner).toBeDefined();
      const accessToken = winner!.body.access_token as string;

      expect({ round, introspection: await oidc.tokenIntrospection(config, accessToken) }).toEqual({ round, introspection: { active: false } });
      const userinfo = await fetch(config.serverMetadata().userinfo_endpoint!, { headers: { authorization: `Bearer ${accessToken}` } });
      expect({ round, status: userinfo.status }).toEqual({ round, status: 401 });
    }
  });
});

describe("authorization request checks", () => {
  test("an unregistered redirect URI gets an error page with status 400 and no Location header", async () => {
    const c = await checks();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: "https://rp.example.test/not-registered",
      scope: "openid",
      state: c.state,
      code_challenge: c.codeChallenge,
      code_challenge_method: "S256",
    });
    const hop = await new BrowserSession(tessera.issuer).request(url.href);
    expect(hop.status).toBe(400);
    expect(hop.location).toBeUndefined();
    // Tessera's own error page (its layout), naming the parameter at fault.
    expect(hop.body).toMatch(/<title>[^<]*Sign-in could not continue[^<]*Tessera<\/title>/);
    expect(hop.body).toContain('class="brand-name">Tessera<');
    expect(hop.body).toContain("redirect_uri");
    expect(hop.body).not.toContain(c.state);
  });

  test("a redirect URI differing only by a trailing slash is not registered either", async () => {
    const url = oidc.buildAuthorizationUrl(config, { redirect_uri: `${rpRedirectUri}/`, scope: "openid" });
    const hop = await new BrowserSession(tessera.issuer).request(url.href);
    expect(hop.status).toBe(400);
    expect(hop.location).toBeUndefined();
  });

  test("response_type=id_token without a nonce is an error redirect invalid_request", async () => {
    const state = oidc.randomState();
    // Built by hand: openid-client itself refuses to build an implicit request without a nonce.
    const url = oidc.buildAuthorizationUrl(config, { redirect_uri: rpRedirectUri, response_type: "id_token", scope: "openid", state });
    const hop = await new BrowserSession(tessera.issuer).follow(url.href);
    const callback = redirectOf(hop);
    expect(`${callback.origin}${callback.pathname}`).toBe(rpRedirectUri);
    const params = fragmentParams(callback);
    expect(params.get("error")).toBe("invalid_request");
    expect(params.get("error_description")).toMatch(/nonce/);
    expect(params.get("state")).toBe(state);
    expect(params.get("id_token")).toBeNull();
  });
});

describe("token endpoint checks", () => {
  test("a wrong client secret is 401 invalid_client", async () => {
    const { callback, pkceCodeVerifier, state, nonce } = await freshCode();
    const wrong = await relyingParty(tessera, { ...client, client_secret: "not-the-secret" });
    const error = await rejection(oidc.authorizationCodeGrant(wrong, callback, { pkceCodeVerifier, expectedState: state }));
    expect(error.status).toBe(401);
    // The client used HTTP Basic, so the 401 carries a Basic challenge (RFC 6749 §5.2), which
    // openid-client surfaces as a WWW-Authenticate challenge error.
    const challenges = error.cause as Array<{ scheme: string; parameters: Record<string, string> }>;
    expect(challenges[0]!.scheme).toBe("basic");
    expect(challenges[0]!.parameters.error).toBe("invalid_client");

    // The JSON body says the same.
    const raw = await tokenRequest(config, { ...client, client_secret: "not-the-secret" }, {
      grant_type: "authorization_code",
      code: callback.searchParams.get("code")!,
      redirect_uri: rpRedirectUri,
      code_verifier: pkceCodeVerifier,
    });
    expect(raw.status).toBe(401);
    expect(raw.body.error).toBe("invalid_client");

    // The code was not spent by the failed attempt: the real client can still redeem it.
    const tokens = await oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier, expectedState: state, expectedNonce: nonce });
    expect(typeof tokens.access_token).toBe("string");
  });

  test("a wrong PKCE code_verifier is invalid_grant", async () => {
    const { callback, state } = await freshCode();
    const error = await rejection(
      oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: oidc.randomPKCECodeVerifier(), expectedState: state }),
    );
    expect(error.error).toBe("invalid_grant");
    expect(error.status).toBe(400);
  });

  test("a code sent without its code_verifier is invalid_grant", async () => {
    const { code } = await freshCode();
    const result = await tokenRequest(config, client, { grant_type: "authorization_code", code, redirect_uri: rpRedirectUri });
    expect(result.status).toBe(400);
    expect(result.body.error).toBe("invalid_grant");
  });

  test("a code redeemed by another client is invalid_grant", async () => {
    const { code, pkceCodeVerifier } = await freshCode();
    const other = await registerClient(tessera, codeClient());
    const result = await tokenRequest(await relyingParty(tessera, other), other, {
      grant_type: "authorization_code",
      code,
      redirect_uri: rpRedirectUri,
      code_verifier: pkceCodeVerifier,
    });
    expect(result.status).toBe(400);
    expect(result.body.error).toBe("invalid_grant");
  });
});

describe("userinfo bearer token checks", () => {
  test("a bad bearer token is 401 with a WWW-Authenticate challenge naming invalid_token", async () => {
    const userinfoEndpoint = config.serverMetadata().userinfo_endpoint!;
    expect(new URL(userinfoEndpoint).pathname).toBe("/me");

    const response = await fetch(userinfoEndpoint, { headers: { authorization: "Bearer not-a-real-token" } });
    expect(response.status).toBe(401);
    const challenge = response.headers.get("www-authenticate");
    expect(challenge).toMatch(/^Bearer /i);
    expect(challenge).toMatch(/error="invalid_token"/);

    // openid-client surfaces the same challenge.
    const error = await rejection(oidc.fetchUserInfo(config, "not-a-real-token", oidc.skipSubjectCheck));
    expect(error.status).toBe(401);
    const challenges = error.cause as Array<{ scheme: string; parameters: Record<string, string> }>;
    expect(challenges[0]!.scheme).toBe("bearer");
    expect(challenges[0]!.parameters.error).toBe("invalid_token");
  });

  test("no token at all is 401 with a Bearer challenge", async () => {
    const response = await fetch(config.serverMetadata().userinfo_endpoint!);
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toMatch(/^Bearer /i);
  });
});
