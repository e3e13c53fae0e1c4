/**
 * Two Tessera processes on one PostgreSQL database, both running workers: every SET is
 * delivered exactly once. (Several processes on one database exist only on PostgreSQL —
 * PGlite is one process by design — so this file always uses the PostgreSQL server.)
 */
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { authorize, BrowserSession, newPerson } from "../support/browser-session.js";
import { codeClient, registerClient, rpRedirectUri } from "../support/clients.js";
import { freshPostgresDatabase, type TestDatabase } from "../support/database.js";
import { startReceiver, type TestReceiver } from "../support/ssf-receiver.js";
import { startTestTessera, type TestTessera } from "../support/tessera.js";

let database: TestDatabase;
let keysDir: string;
let first: TestTessera;
let second: TestTessera;
let receiver: TestReceiver;

beforeAll(async () => {
  database = await freshPostgresDatabase();
  keysDir = await fs.mkdtemp(path.join(os.tmpdir(), "tessera-two-"));
  const shared = { target: database.target, keysDir };
  first = await startTestTessera({ shared });
  // Both behind one public address, as behind a load balancer.
  second = await startTestTessera({ shared: { ...shared, mailbox: first.mailbox }, env: { ISSUER: first.issuer } });
}, 120_000);
afterAll(async () => {
  await receiver?.close();
  await second?.close();
  await first?.close();
  await database?.drop();
  await fs.rm(keysDir, { recursive: true, force: true });
});

test("with workers in two processes, each of 20 changes reaches the receiver once", async () => {
  const client = await registerClient(first, codeClient({ grant_types: ["authorization_code"], scope: "openid profile" }));
  receiver = await startReceiver(first.issuer, client.client_id);
  await first.db.prisma.client.update({ where: { id: client.client_id }, data: { pushEndpoint: receiver.url } });
  const person = newPerson();
  const session = new BrowserSession(first.issuer);
  await authorize(session, `${first.issuer}/auth?${new URLSearchParams({ client_id: client.client_id, response_type: "code", scope: "openid profile", redirect_uri: rpRedirectUri, state: "s" })}`, person);
  await session.follow("/account");

  for (let i = 0; i < 20; i++) await session.follow("/account/profile", { form: { name: `Ada ${i}` } });
  const received = await receiver.waitFor(20);
  await Promise.all([first.jobs.whenIdle(), second.jobs.whenIdle()]);

  expect(receiver.received).toHaveLength(20);
  expect(new Set(received.map((set) => set.claims.jti)).size).toBe(20);
  expect(new Set(received.map((set) => set.claims.txn)).size).toBe(20);
  expect(await first.db.prisma.job.count()).toBe(0);
});
