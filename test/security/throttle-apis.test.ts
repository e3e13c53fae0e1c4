/**
 * Throttling on the JSON APIs: Tessera's client-authenticated APIs count failed client
 * authentications per (client id, IP) and per IP, as the token endpoint does; the wallet
 * API counts challenges per IP and sign-ups that give an email as mail-sending requests.
 * A refusal is 429 with Retry-After and OAuth's `{ error, error_description }`.
 */
import type Provider from "oidc-provider";
import { forClients, type Edge } from "../../src/http/edge/index.js";
import { codeClient, registerClient, type ClientMetadata } from "../support/clients.js";
import { movableClock } from "../support/clock.js";
import { startTestTessera, type TestTessera } from "../support/tessera.js";
import { browserAt } from "../support/throttle.js";
import { challenge, newWallet, openSignIn, postJson, signedChallenge, walletClient } from "../support/wallet.js";

const echoPath = "/test-api/whoami";

function mount(edge: Edge, provider: Provider) {
  edge.api().post(
    echoPath,
    forClients(provider)(async (ctx, client) => {
      ctx.body = { client_id: client.clientId };
    }),
  );
}

// Frozen: the counts stay in one window until the test moves the clock.
const clock = movableClock({ frozen: true });
let tessera: TestTessera;
let rp: ClientMetadata;
let walletRp: ClientMetadata;

beforeAll(async () => {
  tessera = await startTestTessera({
    mount,
    clock,
    env: {
      TRUST_PROXY: "true",
      THROTTLE_CLIENT_AUTH_PER_CLIENT_AND_IP: "3/15m",
      THROTTLE_CLIENT_AUTH_PER_IP: "6/15m",
      THROTTLE_WALLET_PER_IP: "3/15m",
      THROTTLE_MAIL_PER_ADDRESS: "1/1h",
    },
  });
  rp = await registerClient(tessera, codeClient());
  walletRp = await walletClient(tessera);
}, 120_000);
afterAll(async () => tessera?.close());

const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString("base64")}`;

async function callApi(ip: string, secret: string) {
  const response = await fetch(`${tessera.issuer}${echoPath}`, {
    method: "POST",
    headers: { authorization: basic(rp.client_id, secret), "content-type": "application/json", "x-forwarded-for": ip },
    body: "{}",
  });
  return { status: response.status, retryAfter: response.headers.get("retry-after"), json: (await response.json()) as Record<string, unknown> };
}

describe("client-authenticated JSON APIs", () => {
  test("failures from one IP are refused past the limit, even with the right secret, and only there", async () => {
    const ip = "198.51.100.10";
    for (let i = 0; i < 3; i++) expect((await callApi(ip, "wrong-secret")).status).toBe(401);

    const refused = await callApi(ip, rp.client_secret!);
    expect(refused.status).toBe(429);
    expect(refused.json).toEqual({ error: "invalid_client", error_description: expect.stringMatching(/^Too many failed client authentications from this address\. Try again in \d+ (minutes?|seconds?)\.$/) });
    expect(Number(refused.retryAfter)).toBeGreaterThan(0);

    // The client's own backend, elsewhere, is not locked out.
    expect(await callApi("198.51.100.11", rp.client_secret!)).toMatchObject({ status: 200, json: { client_id: rp.client_id } });

    clock.advance(15 * 60);
    expect((await callApi(ip, rp.client_secret!)).status).toBe(200);
  });

  test("successful authentications do not count", async () => {
    for (let i = 0; i < 8; i++) expect((await callApi("198.51.100.12", rp.client_secret!)).status).toBe(200);
  });
});

describe("wallet API", () => {
  async function atSignIn(ip: string) {
    const session = browserAt(tessera, ip);
    const path = await openSignIn(session, walletRp);
    return { session, ip, challengePath: `${path}/wallet/challenge`, signUpPath: `${path}/wallet/sign-up` };
  }

  test("challenges past the per-IP limit are refused with 429, too_many_requests and Retry-After", async () => {
    clock.advance(15 * 60);
    const at = await atSignIn("203.0.113.20");
    const from = { "x-forwarded-for": at.ip };
    for (let i = 0; i < 3; i++) expect((await postJson(at.session, tessera.issuer, at.challengePath, { address: newWallet().address, chainId: 1 }, from)).status).toBe(200);

    const response = await fetch(new URL(at.challengePath, tessera.issuer), {
      method: "POST",
      headers: { "content-type": "application/json", cookie: at.session.cookieHeaderFor(at.challengePath), ...from },
      body: JSON.stringify({ address: newWallet().address, chainId: 1 }),
    });
    expect(response.status).toBe(429);
    expect(Number(response.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await response.json()).toEqual({ error: "too_many_requests", error_description: expect.stringMatching(/^Too many wallet sign-in attempts from this address\. Try again in /) });

    // Another address signs in as usual.
    const elsewhere = await atSignIn("203.0.113.21");
    expect((await challenge(tessera, elsewhere.session, elsewhere.challengePath, newWallet())).status).toBe(200);
  });

  test("a sign-up giving an email counts as a mail to that address", async () => {
    clock.advance(15 * 60);
    const email = `wallet-${Date.now()}@example.test`;
    const first = await atSignIn("203.0.113.30");
    const signed = await signedChallenge(tessera, first.session, first.challengePath, newWallet());
    expect((await postJson(first.session, tessera.issuer, first.signUpPath, { ...signed, name: "Ann", email }, { "x-forwarded-for": first.ip })).status).toBe(200);

    const second = await atSignIn("203.0.113.31");
    const again = await signedChallenge(tessera, second.session, second.challengePath, newWallet());
    const refused = await postJson(second.session, tessera.issuer, second.signUpPath, { ...again, name: "Ben", email }, { "x-forwarded-for": second.ip });
    expect(refused).toEqual({ status: 429, body: { error: "too_many_requests", error_description: expect.stringMatching(/^Too many emails were asked for\. Try again in /) } });
  });
});
