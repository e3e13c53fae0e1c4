/**
 * Rotating signing keys logs nobody out: after `keys rotate` and a restart, new tokens are
 * signed with the new key, tokens signed before still verify against the JWKS, and the
 * browser's session still signs in silently.
 */
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from "jose";
import { parseConfig } from "../../src/config.js";
import { rotateSigningKeys } from "../../src/oidc/index.js";
import { startTessera, type Tessera } from "../../src/server.js";
import { createLogger } from "../../src/shared/log.js";
import { BrowserSession, confirmRegistration, interactionPath, isCheckEmailPage, newPerson } from "../support/browser-session.js";
import { codeClient, registerClient, rpRedirectUri } from "../support/clients.js";
import { freshDatabase, type TestDatabase } from "../support/database.js";
import { migratedSnapshot } from "../support/migrated-snapshot.js";
import { freePort } from "../support/ports.js";
import { startSmtpServer, type TestSmtpServer } from "../support/smtp.js";

let dir: string;
let database: TestDatabase;
let mailbox: TestSmtpServer;
let port: number;

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), "tessera-rotation-"));
  database = await freshDatabase();
  mailbox = await startSmtpServer();
  port = await freePort();
});
afterAll(async () => {
  await mailbox?.close();
  await database?.drop();
  await fs.rm(dir, { recursive: true, force: true });
});

/** A Tessera on the same keys folder and database each time, as a restart would be. */
async function start(): Promise<Tessera & { issuer: string }> {
  const config = parseConfig({
    NODE_ENV: "test",
    PORT: String(port),
    HOST: "127.0.0.1",
    DATA_DIR: dir,
    KEYS_DIR: path.join(dir, "keys"),
    LOG_LEVEL: "silent",
    SMTP_URL: mailbox.url,
    DATABASE_URL: database.target.kind === "postgres" ? database.target.url : undefined,
  });
  const target = database.target.kind === "postgres" ? database.target : { kind: "pglite" as const, dataDir: path.join(dir, "pglite"), snapshot: await migratedSnapshot() };
  const tessera = await startTessera(config, { log: createLogger(config.log), database: target });
  return { ...tessera, issuer: config.issuer };
}

async function idTokenFor(issuer: string, session: BrowserSession, clientId: string, secret: string, first?: { name: string; email: string; password: string }) {
  const url = `/auth?${new URLSearchParams({ client_id: clientId, response_type: "code", scope: "openid", redirect_uri: rpRedirectUri, ...(first ? {} : { prompt: "none" }) })}`;
  let hop = await session.follow(url);
  if (first) hop = await session.follow(`${interactionPath(hop)}/register`, { form: first });
  if (first && isCheckEmailPage(hop)) hop = await confirmRegistration(session, first.email, mailbox);
  const code = new URL(hop.location!).searchParams.get("code");
  if (!code) throw new Error(`no code: ${hop.location}`);
  const response = await fetch(`${issuer}/token`, {
    method: "POST",
    headers: { authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString("base64")}`, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "authorization_code", code, redirect_uri: rpRedirectUri }),
  });
  return ((await response.json()) as { id_token: string }).id_token;
}

test("after keys rotate and a restart: new kid signs, old tokens verify, the session survives", async () => {
  const client = codeClient();
  const session = new BrowserSession(`http://localhost:${port}`);
  let tessera = await start();
  await registerClient(tessera, client, { firstParty: true });
  const before = await idTokenFor(tessera.issuer, session, client.client_id, client.client_secret!, newPerson());
  await tessera.close();

  const fresh = await rotateSigningKeys(path.join(dir, "keys"));
  tessera = await start();
  try {
    const jwks = (await (await fetch(`${tessera.issuer}/jwks`)).json()) as JSONWebKeySet;
    const keySet = createLocalJWKSet(jwks);
    await expect(jwtVerify(before, keySet, { issuer: tessera.issuer, audience: client.client_id })).resolves.toBeDefined();

    const after = await idTokenFor(tessera.issuer, session, client.client_id, client.client_secret!);
    const rs256 = fresh.find((key) => key.alg === "RS256")!;
    expect(decodeProtectedHeader(after).kid).toBe(rs256.kid);
    expect(decodeProtectedHeader(before).kid).not.toBe(rs256.kid);
    await expect(jwtVerify(after, keySet, { issuer: tessera.issuer, audience: client.client_id })).resolves.toBeDefined();
  } finally {
    await tessera.close();
  }
});
