/**
 * OpenID Connect Back-Channel Logout 1.0 and RP-Initiated Logout 1.0 as relying parties
 * see them: when a person signs out, every client in the session that registered a
 * backchannel_logout_uri receives a POST with a logout token signed with the keys at
 * /jwks; end_session refuses a forged id_token_hint and an unregistered
 * post_logout_redirect_uri with an error page, and asks for confirmation without a hint.
 *
 * Tessera is started here with a logger whose lines the tests can read, so that a failed
 * delivery (which the person never sees) can be checked for in the operator's log.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from "jose";
import * as oidc from "openid-client";
import { pino } from "pino";
import { authorize, BrowserSession, newPerson, type Person } from "../support/browser-session.js";
import { codeClient, registerClient, rpPostLogoutRedirectUri, rpRedirectUri, type ClientMetadata } from "../support/clients.js";
import { startTestTessera, type TestTessera } from "../support/tessera.js";
import { checks, navigate, redirectOf, relyingParty } from "../support/relying-party.js";
import { formById } from "../support/page-text.js";

const backchannelLogoutEvent = "http://schemas.openid.net/event/backchannel-logout";

interface Received {
  method: string;
  path: string;
  contentType: string | undefined;
  form: URLSearchParams;
}

/** A relying party's back-channel logout endpoint: records every request, answers `status`. */
async function startLogoutReceiver() {
  const received: Received[] = [];
  let status = 200;
  const server = http.createServer((request, response) => {
    let body = "";
    request.setEncoding("utf8");
    request.on("data", (chunk: string) => (body += chunk));
    request.on("end", () => {
      received.push({ method: request.method!, path: request.url!, contentType: request.headers["content-type"], form: new URLSearchParams(body) });
      response.writeHead(status, { "cache-control": "no-store" }).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    received,
    uri: (suffix: string) => `http://127.0.0.1:${port}/bcl/${suffix}`,
    answer(code: number) {
      status = code;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A test Tessera whose log lines (JSON, level info and up) the tests can read. */
async function startLoggedTessera() {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString("utf8").split("\n").filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { ...(await startTestTessera({ log: pino({ level: "info" }, sink) })), lines };
}

let tessera: Awaited<ReturnType<typeof startLoggedTessera>>;
let receiver: Awaited<ReturnType<typeof startLogoutReceiver>>;

beforeAll(async () => {
  tessera = await startLoggedTessera();
  receiver = await startLogoutReceiver();
});
afterAll(async () => {
  await receiver?.close();
  await tessera?.close();
});

/** Signs `person` in to `client` in `session` (signing up the first time) and redeems the code. */
async function signIn(client: ClientMetadata, session: BrowserSession, person: Person, existing: boolean) {
  const config = await relyingParty(tessera as unknown as TestTessera, client);
  const c = await checks();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: rpRedirectUri,
    scope: "openid email",
    code_challenge: c.codeChallenge,
    code_challenge_method: "S256",
    state: c.state,
    nonce: c.nonce,
  });
  const callback = redirectOf(await authorize(session, url.href, person, { existing }));
  const tokens = await oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: c.pkceCodeVerifier, expectedState: c.state, expectedNonce: c.nonce });
  return { config, tokens, claims: tokens.claims()! };
}

/** end_session, then "Yes, sign me out" on the confirmation page; returns the final hop. */
async function signOut(config: oidc.Configuration, session: BrowserSession, params: Record<string, string>) {
  const page = await session.follow(oidc.buildEndSessionUrl(config, params).href);
  expect(page.status).toBe(200);
  const form = formById(page.body, "op.logoutForm");
  return session.follow(form.action, { form: { ...form.fields, logout: "yes" } });
}

function backchannelClient(name: string, suffix: string): ClientMetadata {
  return codeClient({ client_name: name, backchannel_logout_uri: receiver.uri(suffix), backchannel_logout_session_required: true });
}

describe("back-channel logout", () => {
  test("discovery advertises back-channel logout with session ids", async () => {
    const metadata = (await relyingParty(tessera as unknown as TestTessera, codeClient())).serverMetadata();
    expect(metadata.backchannel_logout_supported).toBe(true);
    expect(metadata.backchannel_logout_session_supported).toBe(true);
  });

  test("a web client may register an http back-channel URI (the provider accepts it)", async () => {
    // OIDC Back-Channel Logout §2.2 does not require https; node-oidc-provider checks
    // backchannel_logout_uri as a web URI (http or https). The client must load and work.
    const client = await registerClient(tessera, backchannelClient("Http BCL RP", "accepts-http"));
    const { claims } = await signIn(client, new BrowserSession(tessera.issuer), newPerson(), false);
    expect(claims.aud).toBe(client.client_id);
  });

  test("signing out sends every client in the session a logout token that verifies against /jwks", async () => {
    const first = await registerClient(tessera, backchannelClient("First BCL RP", "first"));
    const second = await registerClient(tessera, backchannelClient("Second BCL RP", "second"));
    const person = newPerson();
    const session = new BrowserSession(tessera.issuer);
    const a = await signIn(first, session, person, false);
    const b = await signIn(second, session, person, true);
    // The id_token carries the sid the RP will later match the logout token against.
    expect(typeof a.claims.sid).toBe("string");
    expect(typeof b.claims.sid).toBe("string");
    const before = receiver.received.length;

    const state = oidc.randomState();
    const done = await signOut(a.config, session, { id_token_hint: a.tokens.id_token!, post_logout_redirect_uri: rpPostLogoutRedirectUri, state });
    const redirect = redirectOf(done);
    expect(`${redirect.origin}${redirect.pathname}`).toBe(rpPostLogoutRedirectUri);
    expect(redirect.searchParams.get("state")).toBe(state);

    const deliveries = receiver.received.slice(before);
    expect(deliveries.map((delivery) => delivery.path).sort()).toEqual(["/bcl/first", "/bcl/second"]);
    const jwks = createRemoteJWKSet(new URL(a.config.serverMetadata().jwks_uri!));
    for (const [client, signedIn] of [
      [first, a],
      [second, b],
    ] as const) {
      const delivery = deliveries.find((candidate) => candidate.path.endsWith(client === first ? "/first" : "/second"))!;
      expect(delivery.method).toBe("POST");
      expect(delivery.contentType).toMatch(/^application\/x-www-form-urlencoded/);
      const logoutToken = delivery.form.get("logout_token");
      expect(logoutToken).toBeTruthy();

      const { payload, protectedHeader } = await jwtVerify(logoutToken!, jwks, {
        issuer: tessera.issuer,
        audience: client.client_id,
        typ: "logout+jwt",
      });
      // Signed like the client's id_tokens.
      expect(protectedHeader.alg).toBe(decodeProtectedHeader(signedIn.tokens.id_token!).alg);
      expect(payload.events).toEqual({ [backchannelLogoutEvent]: {} });
      expect(payload.sub).toBe(signedIn.claims.sub);
      expect(payload.sid).toBe(signedIn.claims.sid);
      expect(typeof payload.jti).toBe("string");
      expect(typeof payload.iat).toBe("number");
      // §2.4: a logout token MUST NOT contain a nonce (so it can never pass as an id_token).
      expect(payload).not.toHaveProperty("nonce");
    }
    const tokens = deliveries.map((delivery) => decodeJwt(delivery.form.get("logout_token")!));
    expect(tokens[0]!.jti).not.toBe(tokens[1]!.jti);

    // The session is gone: a silent authorization needs a login again.
    const silent = oidc.buildAuthorizationUrl(b.config, {
      redirect_uri: rpRedirectUri,
      scope: "openid",
      prompt: "none",
      code_challenge: (await checks()).codeChallenge,
      code_challenge_method: "S256",
    });
    expect(redirectOf(await session.follow(silent.href)).searchParams.get("error")).toBe("login_required");
  });

  test("a client without backchannel_logout_uri is not called, and one in another session is not either", async () => {
    const quiet = await registerClient(tessera, codeClient({ client_name: "No BCL RP" }));
    const elsewhere = await registerClient(tessera, backchannelClient("Other Session RP", "elsewhere"));
    const session = new BrowserSession(tessera.issuer);
    const person = newPerson();
    const signedIn = await signIn(quiet, session, person, false);
    // The same person in another browser, signed in to the back-channel client there.
    await signIn(elsewhere, new BrowserSession(tessera.issuer), person, true);
    const before = receiver.received.length;

    await signOut(signedIn.config, session, { id_token_hint: signedIn.tokens.id_token!, post_logout_redirect_uri: rpPostLogoutRedirectUri });
    expect(receiver.received.slice(before)).toEqual([]);
  });

  test("a delivery the client does not accept is logged for the operator", async () => {
    const client = await registerClient(tessera, backchannelClient("Failing BCL RP", "failing"));
    const session = new BrowserSession(tessera.issuer);
    const signedIn = await signIn(client, session, newPerson(), false);
    receiver.answer(500);
    try {
      const linesBefore = tessera.lines.length;
      const done = await signOut(signedIn.config, session, { id_token_hint: signedIn.tokens.id_token!, post_logout_redirect_uri: rpPostLogoutRedirectUri });
      // The person is signed out regardless (§2.8: the OP cannot make the RP log out).
      expect(redirectOf(done).pathname).toBe(new URL(rpPostLogoutRedirectUri).pathname);
      expect(receiver.received.at(-1)?.path).toBe("/bcl/failing");
      // …but the operator must be able to see that the RP was not told.
      const logged = tessera.lines.slice(linesBefore).filter((line) => /back-?channel/i.test(JSON.stringify(line)) && Number(line.level) >= 40);
      expect(logged).not.toEqual([]);
      expect(JSON.stringify(logged)).toContain(client.client_id);
    } finally {
      receiver.answer(200);
    }
  });
});

describe("RP-initiated logout", () => {
  let client: ClientMetadata;
  let signedIn: Awaited<ReturnType<typeof signIn>>;
  let session: BrowserSession;

  beforeAll(async () => {
    client = await registerClient(tessera, codeClient({ client_name: "Logout RP" }));
    session = new BrowserSession(tessera.issuer);
    signedIn = await signIn(client, session, newPerson(), false);
  });

  test("an id_token_hint with a tampered signature gets an error page, never a redirect", async () => {
    const [header, payload, signature] = signedIn.tokens.id_token!.split(".");
    const bytes = Buffer.from(signature!, "base64url");
    bytes[0] = bytes[0]! ^ 0xff;
    const forged = `${header}.${payload}.${bytes.toString("base64url")}`;
    const url = oidc.buildEndSessionUrl(signedIn.config, { id_token_hint: forged, post_logout_redirect_uri: rpPostLogoutRedirectUri, state: "s" });
    const hop = await navigate(session, url);
    expect(hop.status).toBe(400);
    expect(hop.location).toBeUndefined();
    expect(hop.headers.get("content-type")).toMatch(/^text\/html/);
    expect(hop.body).toMatch(/<title>[^<]*Sign-in could not continue[^<]*Tessera<\/title>/);
    expect(hop.body).toContain('class="brand-name">Tessera<');
    expect(hop.body).toContain("id_token_hint");
    expect(hop.body).not.toContain("op.logoutForm");
  });

  test("an id_token_hint with a changed payload (another sub) is refused too", async () => {
    const [header, payload, signature] = signedIn.tokens.id_token!.split(".");
    const claims = JSON.parse(Buffer.from(payload!, "base64url").toString()) as Record<string, unknown>;
    const forged = `${header}.${Buffer.from(JSON.stringify({ ...claims, sub: "someone-else" })).toString("base64url")}.${signature}`;
    const hop = await navigate(session, oidc.buildEndSessionUrl(signedIn.config, { id_token_hint: forged }));
    expect(hop.status).toBe(400);
    expect(hop.location).toBeUndefined();
    expect(hop.body).not.toContain("op.logoutForm");
  });

  test("a post_logout_redirect_uri that is not registered gets an error page, never a redirect", async () => {
    const url = oidc.buildEndSessionUrl(signedIn.config, {
      id_token_hint: signedIn.tokens.id_token!,
      post_logout_redirect_uri: `${rpPostLogoutRedirectUri}/elsewhere`,
    });
    const hop = await navigate(session, url);
    expect(hop.status).toBe(400);
    expect(hop.location).toBeUndefined();
    expect(hop.headers.get("content-type")).toMatch(/^text\/html/);
    expect(hop.body).toContain('class="brand-name">Tessera<');
    expect(hop.body).toContain("post_logout_redirect_uri");
    expect(hop.body).not.toContain("op.logoutForm");
  });

  test("without id_token_hint: Tessera's confirmation page, 'Yes, sign me out' ends the session", async () => {
    const hop = await session.follow(`${tessera.issuer}/session/end`);
    expect(hop.status).toBe(200);
    expect(hop.location).toBeUndefined();
    expect(hop.body).toMatch(/<title>Sign out · Tessera<\/title>/);
    expect(hop.body).toContain('class="brand-name">Tessera<');
    expect(hop.body).toContain("Yes, sign me out");
    const form = formById(hop.body, "op.logoutForm");
    const done = await session.follow(form.action, { form: { ...form.fields, logout: "yes" } });
    // No client named, so no redirect to one: Tessera's own "Signed out" page.
    expect(done.location).toBeUndefined();
    expect(done.status).toBe(200);
    expect(done.body).toMatch(/<title>You are signed out · Tessera<\/title>/);
  });
});
