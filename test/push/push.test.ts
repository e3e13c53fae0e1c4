/**
 * Account updates pushed as Shared Signals (SSF 1.0, CAEP, RISC) to a real receiver that
 * verifies every SET against Tessera's /jwks. The clock is movable so retries can be
 * brought forward; everything else is real (database, HTTP both ways, signatures).
 */
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { DatabaseTarget } from "../../src/db/database.js";
import { authorize, BrowserSession, newPerson, type Person } from "../support/browser-session.js";
import { codeClient, registerClient, rpRedirectUri, type ClientMetadata } from "../support/clients.js";
import { startReceiver, type TestReceiver } from "../support/ssf-receiver.js";
import { freshDatabase } from "../support/database.js";
import { freePort, startTestTessera, type TestTessera } from "../support/tessera.js";

const claimsChange = "https://schemas.openid.net/secevent/caep/event-type/token-claims-change";
const sessionRevoked = "https://schemas.openid.net/secevent/caep/event-type/session-revoked";
const accountPurged = "https://schemas.openid.net/secevent/risc/event-type/account-purged";
const verification = "https://schemas.openid.net/secevent/ssf/event-type/verification";

let offsetMs = 0;
const clock = { now: () => new Date(Date.now() + offsetMs) };
let tessera: TestTessera;
const receivers: TestReceiver[] = [];

beforeAll(async () => {
  tessera = await startTestTessera({ clock });
});
afterAll(async () => {
  await Promise.all(receivers.map((receiver) => receiver.close()));
  await tessera?.close();
});

interface Site {
  client: ClientMetadata;
  receiver: TestReceiver;
  token(scope?: string): Promise<string>;
  api(method: string, path: string, options?: { body?: unknown; scope?: string; token?: string }): Promise<{ status: number; body: Record<string, unknown> }>;
}

async function site(name: string, scope = "openid profile email", at: TestTessera = tessera): Promise<Site> {
  const tessera = at;
  const client = await registerClient(tessera, codeClient({ client_name: name, grant_types: ["authorization_code", "client_credentials"], scope: `${scope} ssf.read ssf.manage` }));
  const receiver = await startReceiver(tessera.issuer, client.client_id);
  receivers.push(receiver);
  const token = async (wanted = "ssf.manage") => {
    const response = await fetch(`${tessera.issuer}/token`, {
      method: "POST",
      headers: { authorization: `Basic ${Buffer.from(`${client.client_id}:${client.client_secret}`).toString("base64")}`, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "client_credentials", scope: wanted }),
    });
    const body = (await response.json()) as { access_token?: string };
    if (!body.access_token) throw new Error(`no token: ${JSON.stringify(body)}`);
    return body.access_token;
  };
  const api: Site["api"] = async (method, path, options = {}) => {
    const bearer = options.token ?? (await token(options.scope));
    const response = await fetch(`${tessera.issuer}${path}`, {
      method,
      headers: { authorization: `Bearer ${bearer}`, ...(options.body !== undefined && { "content-type": "application/json" }) },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    return { status: response.status, body: response.status === 204 ? {} : ((await response.json()) as Record<string, unknown>) };
  };
  return { client, receiver, token, api };
}

async function subscribe(target: Site): Promise<void> {
  const created = await target.api("POST", "/ssf/stream", { body: { delivery: { method: "urn:ietf:rfc:8935", endpoint_url: target.receiver.url } } });
  expect(created.status).toBe(200);
}

async function signInTo(target: Site, person: Person, existing = false, at: TestTessera = tessera): Promise<BrowserSession> {
  const tessera = at;
  const session = new BrowserSession(tessera.issuer);
  const url = `${tessera.issuer}/auth?${new URLSearchParams({ client_id: target.client.client_id, response_type: "code", scope: target.client.scope!.replace(" ssf.read ssf.manage", ""), redirect_uri: rpRedirectUri, state: "s" })}`;
  const hop = await authorize(session, url, person, { existing });
  expect(hop.location).toMatch(/^https:\/\/rp\.example\.test\/cb\?code=/);
  return session;
}

async function rename(session: BrowserSession, name: string): Promise<void> {
  const page = await session.follow("/account");
  expect(page.status).toBe(200);
  const done = await session.follow("/account/profile", { form: { name } });
  expect(done.body).toContain(`Your name is now ${name}`);
}

const userId = async (person: Person) => (await tessera.db.prisma.email.findFirstOrThrow({ where: { normalized: person.email.toLowerCase() } })).userId;

test("discovery describes the transmitter", async () => {
  const response = await fetch(`${tessera.issuer}/.well-known/ssf-configuration`);
  expect(response.status).toBe(200);
  expect(await response.json()).toEqual({
    spec_version: "1_0",
    issuer: tessera.issuer,
    jwks_uri: `${tessera.issuer}/jwks`,
    delivery_methods_supported: ["urn:ietf:rfc:8935"],
    configuration_endpoint: `${tessera.issuer}/ssf/stream`,
    status_endpoint: `${tessera.issuer}/ssf/status`,
    verification_endpoint: `${tessera.issuer}/ssf/verify`,
    authorization_schemes: [{ spec_urn: "urn:ietf:rfc:6749" }],
  });
});

test("stream endpoints need a client-credentials token with the right scope, and show a client only its own stream", async () => {
  const [one, other] = [await site("One"), await site("Other")];
  const anonymous = await fetch(`${tessera.issuer}/ssf/stream`);
  expect(anonymous.status).toBe(401);
  expect(anonymous.headers.get("www-authenticate")).toBe('Bearer error="invalid_token"');

  const readOnly = await one.api("POST", "/ssf/stream", { scope: "ssf.read", body: { delivery: { endpoint_url: one.receiver.url } } });
  expect(readOnly).toMatchObject({ status: 403, body: { error: "insufficient_scope" } });

  await subscribe(one);
  const mine = await one.api("GET", "/ssf/stream", { scope: "ssf.read" });
  expect(mine.body).toMatchObject({ iss: tessera.issuer, aud: one.client.client_id, delivery: { method: "urn:ietf:rfc:8935", endpoint_url: one.receiver.url } });
  const theirs = await other.api("GET", `/ssf/stream?stream_id=${String(mine.body.stream_id)}`);
  expect(theirs).toMatchObject({ status: 404, body: { error: "invalid_request" } });
  const changeTheirs = await other.api("POST", "/ssf/status", { body: { stream_id: mine.body.stream_id, status: "disabled" } });
  expect(changeTheirs.status).toBe(404);
  expect((await one.api("GET", "/ssf/status")).body).toMatchObject({ status: "enabled" });

  const insecure = await one.api("PATCH", "/ssf/stream", { body: { delivery: { endpoint_url: "http://receiver.example.test/events" } } });
  expect(insecure).toMatchObject({ status: 400, body: { error_description: expect.stringContaining("must use https") } });
});

test("a name change reaches each site the user signed in to, once, with that site's sub — and no other site", async () => {
  const [used, unused] = [await site("Used"), await site("Unused")];
  await subscribe(used);
  await subscribe(unused);
  const person = newPerson();
  await signInTo(used, person);
  const session = await signInTo(used, person, true);

  await rename(session, "Ada Renamed");
  const [set] = await used.receiver.waitFor(1);
  await tessera.jobs.whenIdle();

  expect(set!.header).toMatchObject({ typ: "secevent+jwt", alg: "RS256" });
  expect(set!.contentType).toBe("application/secevent+jwt");
  expect(set!.claims).toMatchObject({
    iss: tessera.issuer,
    aud: used.client.client_id,
    sub_id: { format: "iss_sub", iss: tessera.issuer, sub: await userId(person) },
    events: { [claimsChange]: { claims: { name: "Ada Renamed" }, event_timestamp: expect.any(Number) } },
  });
  expect(set!.claims.jti).toEqual(expect.any(String));
  expect(set!.claims.txn).toEqual(expect.any(String));
  expect(set!.claims.sub).toBeUndefined();
  expect(set!.claims.exp).toBeUndefined();
  expect(used.receiver.received).toHaveLength(1);
  expect(unused.receiver.received).toHaveLength(0);
});

test("a site granted only `openid email` hears of a new name nothing at all", async () => {
  const narrow = await site("Narrow", "openid email");
  await subscribe(narrow);
  const person = newPerson();
  const session = await signInTo(narrow, person);
  await rename(session, "Ada Private");
  await tessera.jobs.whenIdle();
  expect(narrow.receiver.received).toEqual([]);
});

test("a receiver answering 500 three times gets the SET later, after growing delays, with the same jti", async () => {
  const flaky = await site("Flaky");
  await subscribe(flaky);
  const person = newPerson();
  const session = await signInTo(flaky, person);
  flaky.receiver.answer(500, 500, 500);
  await rename(session, "Ada Retried");

  const delays: number[] = [];
  for (let failures = 1; failures <= 3; failures++) {
    await tessera.jobs.whenIdle();
    const job = await tessera.db.prisma.job.findFirstOrThrow({ where: { kind: "push.deliver", payload: { path: ["clientId"], equals: flaky.client.client_id } } });
    expect(job).toMatchObject({ attempts: failures, state: "ready", lastError: "receiver answered 500" });
    // Measured from when the failure was recorded.
    const delay = (job.runAt.getTime() - job.updatedAt.getTime()) / 1000;
    delays.push(delay);
    offsetMs += Math.max(0, job.runAt.getTime() - clock.now().getTime()) + 10;
  }
  const [set] = await flaky.receiver.waitFor(1);
  expect(set!.claims.events).toEqual({ [claimsChange]: expect.objectContaining({ claims: { name: "Ada Retried" } }) });
  // 1 s, 5 s, 30 s, each ±25 %.
  expect(delays[0]).toBeGreaterThan(0.7);
  expect(delays[0]).toBeLessThan(1.3);
  expect(delays[1]).toBeGreaterThan(3.7);
  expect(delays[1]).toBeLessThan(6.3);
  expect(delays[2]).toBeGreaterThan(22);
  expect(delays[2]).toBeLessThan(38);
});

test("a receiver refusing with 400 invalid_audience, or redirecting, is not retried: the SET is dead for the operator", async () => {
  const refusing = await site("Refusing");
  await subscribe(refusing);
  const session = await signInTo(refusing, newPerson());
  refusing.receiver.answer({ status: 400, body: { err: "invalid_audience", description: "not us" } }, 302);
  await rename(session, "Ada Refused");
  await rename(session, "Ada Redirected");
  await tessera.jobs.whenIdle();

  const jobs = await tessera.db.prisma.job.findMany({ where: { kind: "push.deliver", payload: { path: ["clientId"], equals: refusing.client.client_id } }, orderBy: { createdAt: "asc" } });
  expect(jobs.map((job) => ({ state: job.state, attempts: job.attempts, lastError: job.lastError }))).toEqual([
    { state: "dead", attempts: 1, lastError: "receiver refused the SET with invalid_audience: not us" },
    { state: "dead", attempts: 1, lastError: "receiver answered 302; redirects are not followed" },
  ]);
  expect(refusing.receiver.received).toEqual([]);
});

test("a paused stream holds SETs and sends them on resume; verification echoes the receiver's state", async () => {
  const held = await site("Held");
  await subscribe(held);
  const person = newPerson();
  const session = await signInTo(held, person);
  expect((await held.api("POST", "/ssf/status", { body: { status: "paused", reason: "maintenance" } })).body).toMatchObject({ status: "paused", reason: "maintenance" });

  await rename(session, "Ada Held");
  await tessera.jobs.whenIdle();
  expect(held.receiver.received).toEqual([]);

  await held.api("POST", "/ssf/status", { body: { status: "enabled" } });
  const [set] = await held.receiver.waitFor(1);
  expect(set!.claims.events).toEqual({ [claimsChange]: expect.objectContaining({ claims: { name: "Ada Held" } }) });

  const stream = await held.api("GET", "/ssf/stream");
  expect((await held.api("POST", "/ssf/verify", { body: { state: "check-123" } })).status).toBe(204);
  const [, check] = await held.receiver.waitFor(2);
  expect(check!.claims).toMatchObject({ aud: held.client.client_id, sub_id: { format: "opaque", id: stream.body.stream_id }, events: { [verification]: { state: "check-123" } } });
});

test("deleting the account sends account-purged to the sites it used; ending a session sends session-revoked", async () => {
  const target = await site("Deleted");
  await subscribe(target);
  const person = newPerson();
  await signInTo(target, person);
  const session = await signInTo(target, person, true);
  const sub = await userId(person);

  // From the second browser, end the first one's session.
  const page = await session.follow("/account");
  const handle = /action="\/account\/sessions\/([\w-]+)\/end"/.exec(page.body)?.[1];
  expect(handle).toBeDefined();
  await session.follow(`/account/sessions/${handle}/end`, { form: {} });
  const [revoked] = await target.receiver.waitFor(1);
  expect(revoked!.claims).toMatchObject({ sub_id: { sub }, events: { [sessionRevoked]: { event_timestamp: expect.any(Number) } } });

  await session.follow("/account");
  const gone = await session.follow("/account/delete", { form: { confirmation: person.email } });
  expect(gone.status).toBeLessThan(500);
  const [, purged] = await target.receiver.waitFor(2);
  expect(purged!.claims).toMatchObject({ sub_id: { sub }, events: { [accountPurged]: {} } });
});

test("Tessera stopped between the commit and the delivery delivers after it starts again", async () => {
  // A database that outlives the process: a PGlite folder, or a PostgreSQL database.
  const scratch = await fs.mkdtemp(path.join(os.tmpdir(), "tessera-restart-"));
  const database = process.env.DATABASE_URL ? await freshDatabase() : undefined;
  const target: DatabaseTarget = database?.target ?? { kind: "pglite", dataDir: path.join(scratch, "pglite") };
  // The same issuer before and after, as in a real restart.
  const port = await freePort();
  const env = { PORT: String(port), ISSUER: `http://localhost:${port}` };
  const shared = { target, keysDir: scratch };
  const first = await startTestTessera({ clock, env, shared });
  let second: TestTessera | undefined;
  try {
    const target = await site("Restart", "openid profile email", first);
    await subscribe(target);
    const session = await signInTo(target, newPerson(), false, first);
    target.receiver.answer(503);
    await rename(session, "Ada Survives");
    await first.jobs.whenIdle(); // the first attempt failed; the SET waits for its retry
    await first.close();

    second = await startTestTessera({ clock, env, shared });
    offsetMs += 2_000;
    await second.jobs.whenIdle();
    const [set] = await target.receiver.waitFor(1);
    expect(set!.claims.events).toEqual({ [claimsChange]: expect.objectContaining({ claims: { name: "Ada Survives" } }) });
  } finally {
    await second?.close();
    await database?.drop();
    await fs.rm(scratch, { recursive: true, force: true });
  }
  // Two starts on a new PGlite folder: each creates and migrates it from nothing.
}, 180_000);
