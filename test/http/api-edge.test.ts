/**
 * The JSON API and webhook edges, through throwaway routes this file mounts on a real
 * Tessera: clients authenticate as they do at the token endpoint, every refusal is OAuth's
 * `{ error, error_description }`, and webhooks see the exact bytes that were sent.
 */
import { createHash, randomUUID } from "node:crypto";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import type Provider from "oidc-provider";
import { ApiError, forClients, jsonBody, type Edge } from "../../src/http/edge/index.js";
import { codeClient, registerClient, uniqueClientId } from "../support/clients.js";
import { startTestTessera, type TestTessera } from "../support/tessera.js";

const echoPath = "/test-api/echo";
const hookPath = "/test-hooks/receive";

function mount(edge: Edge, provider: Provider) {
  const api = edge.api();
  api.post(
    echoPath,
    forClients(provider)(async (ctx, client) => {
      const body = jsonBody(ctx);
      if (body.refuse === true) throw new ApiError("invalid_target", "That target does not belong to this client.");
      ctx.body = { client_id: client.clientId, said: body.say };
    }),
  );
  const hooks = edge.webhooks();
  hooks.post(hookPath, async (ctx) => {
    ctx.body = { bytes: ctx.state.rawBody.length, sha256: createHash("sha256").update(ctx.state.rawBody).digest("hex") };
  });
}

let tessera: TestTessera;
beforeAll(async () => {
  tessera = await startTestTessera({ mount });
});
afterAll(async () => tessera?.close());

const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString("base64")}`;

async function post(path: string, init: { headers?: Record<string, string>; body?: string }) {
  const response = await fetch(`${tessera.issuer}${path}`, { method: "POST", ...init });
  const text = await response.text();
  return { status: response.status, headers: response.headers, json: JSON.parse(text) as Record<string, unknown> };
}

describe("client authentication", () => {
  test("client_secret_basic: the client is known to the route, and the answer is not cached", async () => {
    const client = await registerClient(tessera, codeClient());
    const answer = await post(echoPath, {
      headers: { authorization: basic(client.client_id, client.client_secret!), "content-type": "application/json" },
      body: JSON.stringify({ say: "hello" }),
    });
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({ client_id: client.client_id, said: "hello" });
    expect(answer.headers.get("cache-control")).toBe("no-store");
  });

  test("client_secret_post, in a JSON body or a form", async () => {
    const client = await registerClient(tessera, codeClient({ token_endpoint_auth_method: "client_secret_post" }));
    const json = await post(echoPath, {
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ client_id: client.client_id, client_secret: client.client_secret, say: "json" }),
    });
    expect(json.json).toEqual({ client_id: client.client_id, said: "json" });
    const form = await post(echoPath, {
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ client_id: client.client_id, client_secret: client.client_secret!, say: "form" }).toString(),
    });
    expect(form.json).toEqual({ client_id: client.client_id, said: "form" });
  });

  test("private_key_jwt: an assertion signed with the registered key, used once", async () => {
    const { privateKey, publicKey } = await generateKeyPair("ES256");
    const kid = uniqueClientId("key");
    const client = await registerClient(tessera, {
      ...codeClient({ token_endpoint_auth_method: "private_key_jwt", token_endpoint_auth_signing_alg: "ES256" }),
      client_secret: undefined,
      jwks: { keys: [{ ...(await exportJWK(publicKey)), kid, alg: "ES256", use: "sig" }] },
    });
    const assertion = await new SignJWT({})
      .setProtectedHeader({ alg: "ES256", kid })
      .setIssuer(client.client_id)
      .setSubject(client.client_id)
      .setAudience(tessera.issuer)
      .setJti(randomUUID())
      .setIssuedAt()
      .setExpirationTime("1m")
      .sign(privateKey);
    const body = JSON.stringify({ client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer", client_assertion: assertion, say: "signed" });
    const first = await post(echoPath, { headers: { "content-type": "application/json" }, body });
    expect(first.json).toEqual({ client_id: client.client_id, said: "signed" });
    const replayed = await post(echoPath, { headers: { "content-type": "application/json" }, body });
    expect(replayed.status).toBe(401);
    expect(replayed.json.error).toBe("invalid_client");
  });

  test("a wrong secret is invalid_client (401) with a Basic challenge, and says nothing more", async () => {
    const client = await registerClient(tessera, codeClient());
    const answer = await post(echoPath, { headers: { authorization: basic(client.client_id, "not-the-secret") } });
    expect(answer.status).toBe(401);
    expect(answer.json).toEqual({ error: "invalid_client", error_description: "client authentication failed" });
    expect(answer.headers.get("www-authenticate")).toMatch(/^Basic realm=/);
  });

  test("an unknown client and a missing authentication are refused the same way as at /token", async () => {
    const unknown = await post(echoPath, { headers: { authorization: basic("nobody", "secret") } });
    expect(unknown.status).toBe(401);
    expect(unknown.json.error).toBe("invalid_client");
    const none = await post(echoPath, { headers: { "content-type": "application/json" }, body: "{}" });
    expect(none.status).toBe(400);
    expect(none.json).toEqual({ error: "invalid_request", error_description: "no client authentication mechanism provided" });
  });

  test("a public client cannot call a client API", async () => {
    const client = await registerClient(tessera, codeClient({ token_endpoint_auth_method: "none", client_secret: undefined }));
    const answer = await post(echoPath, { headers: { "content-type": "application/json" }, body: JSON.stringify({ client_id: client.client_id }) });
    expect(answer.status).toBe(401);
    expect(answer.json.error).toBe("invalid_client");
  });
});

describe("errors in OAuth's shape", () => {
  test("a route's refusal keeps its error code and status", async () => {
    const client = await registerClient(tessera, codeClient());
    const answer = await post(echoPath, {
      headers: { authorization: basic(client.client_id, client.client_secret!), "content-type": "application/json" },
      body: JSON.stringify({ refuse: true }),
    });
    expect(answer.status).toBe(400);
    expect(answer.json).toEqual({ error: "invalid_target", error_description: "That target does not belong to this client." });
  });

  test("malformed and oversized JSON are invalid_request, not a server error", async () => {
    const malformed = await post(echoPath, { headers: { "content-type": "application/json" }, body: "{not json" });
    expect(malformed.status).toBe(400);
    expect(malformed.json.error).toBe("invalid_request");
    const oversized = await post(echoPath, { headers: { "content-type": "application/json" }, body: JSON.stringify({ say: "x".repeat(64 * 1024) }) });
    expect(oversized.status).toBe(413);
    expect(oversized.json.error).toBe("invalid_request");
  });
});

describe("webhooks", () => {
  test("the route sees the body byte for byte", async () => {
    const body = '{ "id": "evt_1",  "data": {"amount": 1.50} }\n';
    const answer = await post(hookPath, { headers: { "content-type": "application/json" }, body });
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({ bytes: Buffer.byteLength(body), sha256: createHash("sha256").update(body).digest("hex") });
  });

  test("a body over the limit is refused with 413", async () => {
    const answer = await post(hookPath, { headers: { "content-type": "application/json" }, body: "x".repeat(1024 * 1024 + 1) });
    expect(answer.status).toBe(413);
    expect(answer.json.error).toBe("invalid_request");
  });
});
