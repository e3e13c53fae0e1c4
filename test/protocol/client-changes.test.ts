/**
 * Clients are cached in each process (src/oidc/client-cache.ts): a client changed or deleted
 * in the database — by the CLI, another process or SQL — must be seen by every process at
 * once, including one that has just used the client. The second half runs two processes on
 * one PostgreSQL database (PGlite is one process by design), so it always uses the server.
 */
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { codeClient, registerClient, type ClientMetadata } from "../support/clients.js";
import { freshPostgresDatabase, type TestDatabase } from "../support/database.js";
import { eventually } from "../support/eventually.js";
import { startTestTessera, type TestTessera } from "../support/tessera.js";

/** The status of a client_credentials request with this id and secret. */
async function tokenStatus(tessera: TestTessera, clientId: string, secret: string): Promise<number> {
  const response = await fetch(`${tessera.issuer}/token`, {
    method: "POST",
    headers: { authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString("base64")}`, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "client_credentials" }),
  });
  await response.arrayBuffer();
  return response.status;
}

const machineClient = () => codeClient({ grant_types: ["client_credentials"], response_types: [], redirect_uris: [] });

/** Changes the secret as an operator's SQL or another process would: straight in the table. */
async function changeSecret(tessera: TestTessera, client: ClientMetadata, secret: string): Promise<void> {
  await tessera.db.prisma.client.update({ where: { id: client.client_id }, data: { metadata: { ...client, client_secret: secret } as object } });
}

describe("one process", () => {
  let tessera: TestTessera;
  beforeAll(async () => {
    tessera = await startTestTessera();
  }, 60_000);
  afterAll(async () => tessera?.close());

  test("a secret changed in the database replaces the old one at once, though the client was just used", async () => {
    const client = await registerClient(tessera, machineClient());
    expect(await tokenStatus(tessera, client.client_id, client.client_secret!)).toBe(200);

    await changeSecret(tessera, client, "the-new-secret-of-this-client");

    await eventually(async () => (await tokenStatus(tessera, client.client_id, client.client_secret!)) === 401, 5_000, "the old secret to be refused");
    expect(await tokenStatus(tessera, client.client_id, "the-new-secret-of-this-client")).toBe(200);
  });

  test("a deleted client is refused, and one registered under a name tried before is found", async () => {
    const client = await registerClient(tessera, machineClient());
    expect(await tokenStatus(tessera, client.client_id, client.client_secret!)).toBe(200);
    await tessera.db.prisma.client.delete({ where: { id: client.client_id } });
    await eventually(async () => (await tokenStatus(tessera, client.client_id, client.client_secret!)) === 401, 5_000, "the deleted client to be refused");

    await registerClient(tessera, client);
    expect(await tokenStatus(tessera, client.client_id, client.client_secret!)).toBe(200);
  });
});

describe("two processes on one PostgreSQL database", () => {
  let database: TestDatabase;
  let keysDir: string;
  let first: TestTessera;
  let second: TestTessera;
  beforeAll(async () => {
    database = await freshPostgresDatabase();
    keysDir = await fs.mkdtemp(path.join(os.tmpdir(), "tessera-clients-"));
    first = await startTestTessera({ shared: { target: database.target, keysDir } });
    second = await startTestTessera({ shared: { target: database.target, keysDir, mailbox: first.mailbox }, env: { ISSUER: first.issuer } });
  }, 120_000);
  afterAll(async () => {
    await second?.close();
    await first?.close();
    await database?.drop();
    await fs.rm(keysDir, { recursive: true, force: true });
  });

  test("a token from one is accepted by the other, and a secret changed through one is refused by both at once", async () => {
    const client = await registerClient(first, machineClient());
    const basic = `Basic ${Buffer.from(`${client.client_id}:${client.client_secret}`).toString("base64")}`;
    const issued = await fetch(`${first.issuer}/token`, { method: "POST", headers: { authorization: basic, "content-type": "application/x-www-form-urlencoded" }, body: "grant_type=client_credentials" });
    const { access_token: token } = (await issued.json()) as { access_token: string };
    const introspected = await fetch(`${second.url}/token/introspection`, { method: "POST", headers: { authorization: basic, "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ token }) });
    expect(await introspected.json()).toMatchObject({ active: true, client_id: client.client_id });

    await changeSecret(first, client, "rotated-by-the-operator");

    // Well within the cache's 30-second bound: the notification, not the expiry, did it.
    for (const tessera of [first, second]) {
      await eventually(async () => (await tokenStatus(tessera, client.client_id, client.client_secret!)) === 401, 5_000, "the old secret to be refused");
      expect(await tokenStatus(tessera, client.client_id, "rotated-by-the-operator")).toBe(200);
    }
  });
});
