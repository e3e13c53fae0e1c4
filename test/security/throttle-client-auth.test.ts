/**
 * Client authentication at the token, introspection and revocation endpoints is throttled
 * per (client id, IP) (issue 10 item 1): once over the limit the endpoint answers
 * invalid_client with 429 and Retry-After, before any secret is checked; other addresses,
 * and the same one after the window, are served.
 */
import { codeClient, registerClient, type ClientMetadata } from "../support/clients.js";
import { movableClock } from "../support/clock.js";
import { startTestTessera, type TestTessera } from "../support/tessera.js";

// Frozen: the counts of a test stay in one window until the test moves the clock.
const clock = movableClock({ frozen: true });
let tessera: TestTessera;

beforeAll(async () => {
  tessera = await startTestTessera({
    clock,
    env: { TRUST_PROXY: "true", THROTTLE_CLIENT_AUTH_PER_CLIENT_AND_IP: "3/5m", THROTTLE_CLIENT_AUTH_PER_IP: "100/5m" },
  });
}, 60_000);
afterAll(() => tessera?.close());

const machineClient = (overrides: Partial<ClientMetadata> = {}) =>
  registerClient(tessera, codeClient({ grant_types: ["client_credentials"], response_types: [], redirect_uris: [], post_logout_redirect_uris: [], ...overrides }));

/** A client-authenticated POST from `ip`, with the credentials in the Basic header or (post) in the body. */
async function clientPost(path: string, ip: string, client: { id: string; secret: string; post?: boolean }, body: Record<string, string>) {
  const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded", "x-forwarded-for": ip, accept: "application/json" };
  const form = new URLSearchParams(body);
  if (client.post) {
    form.set("client_id", client.id);
    form.set("client_secret", client.secret);
  } else {
    headers.authorization = `Basic ${Buffer.from(`${encodeURIComponent(client.id)}:${encodeURIComponent(client.secret)}`).toString("base64")}`;
  }
  const response = await fetch(`${tessera.issuer}${path}`, { method: "POST", headers, body: form.toString() });
  return { status: response.status, retryAfter: response.headers.get("retry-after"), json: (await response.json()) as Record<string, unknown> };
}

const token = (ip: string, client: { id: string; secret: string; post?: boolean }) => clientPost("/token", ip, client, { grant_type: "client_credentials" });

test("the fourth failed authentication from one address is refused with invalid_client, 429 and Retry-After, the right secret too, until the window has passed", async () => {
  const client = await machineClient();
  const wrong = { id: client.client_id, secret: "not-the-secret" };
  const right = { id: client.client_id, secret: client.client_secret! };
  for (let i = 0; i < 3; i++) {
    const failed = await token("198.51.100.5", wrong);
    expect(failed.status).toBe(401);
    expect(failed.json.error).toBe("invalid_client");
  }

  const refused = await token("198.51.100.5", right);
  expect(refused.status).toBe(429);
  expect(refused.json.error).toBe("invalid_client");
  expect(refused.json.error_description).toMatch(/^Too many failed client authentications from this address\. Try again in \d+ (minutes?|seconds?)\.$/);
  const wait = Number(refused.retryAfter);
  expect(wait).toBeGreaterThan(0);
  expect(wait).toBeLessThanOrEqual(300);

  // The client's own backend, elsewhere, is not locked out.
  const elsewhere = await token("203.0.113.5", right);
  expect(elsewhere.status).toBe(200);
  expect(typeof elsewhere.json.access_token).toBe("string");

  clock.advance(wait);
  expect((await token("198.51.100.5", right)).status).toBe(200);
});

test("credentials in the body (client_secret_post) are counted the same way", async () => {
  const client = await machineClient({ token_endpoint_auth_method: "client_secret_post" });
  for (let i = 0; i < 3; i++) expect((await token("198.51.100.6", { id: client.client_id, secret: "nope", post: true })).status).toBe(401);
  const refused = await token("198.51.100.6", { id: client.client_id, secret: client.client_secret!, post: true });
  expect(refused.status).toBe(429);
  expect(refused.retryAfter).toMatch(/^\d+$/);
});

test("failures at introspection and revocation count with the token endpoint's", async () => {
  const client = await machineClient();
  const wrong = { id: client.client_id, secret: "nope" };
  expect((await clientPost("/token/introspection", "198.51.100.7", wrong, { token: "x" })).status).toBe(401);
  expect((await clientPost("/token/revocation", "198.51.100.7", wrong, { token: "x" })).status).toBe(401);
  expect((await clientPost("/token/introspection", "198.51.100.7", wrong, { token: "x" })).status).toBe(401);
  const refused = await token("198.51.100.7", { id: client.client_id, secret: client.client_secret! });
  expect(refused.status).toBe(429);
  expect((await clientPost("/token/introspection", "198.51.100.7", { id: client.client_id, secret: client.client_secret! }, { token: "x" })).status).toBe(429);
});

test("successful authentications do not count", async () => {
  const client = await machineClient();
  for (let i = 0; i < 6; i++) expect((await token("198.51.100.8", { id: client.client_id, secret: client.client_secret! })).status).toBe(200);
});

test("an unknown client id is counted like a known one", async () => {
  for (let i = 0; i < 3; i++) expect((await token("198.51.100.9", { id: "no-such-client", secret: "nope" })).status).toBe(401);
  expect((await token("198.51.100.9", { id: "no-such-client", secret: "nope" })).status).toBe(429);
});
