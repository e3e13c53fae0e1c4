/**
 * Two Tessera processes on one PostgreSQL database count sign-in failures together: the
 * counts live in the database, not in a process. (Several processes on one database exist
 * only on PostgreSQL, so this file always uses the PostgreSQL server.)
 */
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { newPerson } from "../support/browser-session.js";
import { movableClock } from "../support/clock.js";
import { freshPostgresDatabase, type TestDatabase } from "../support/database.js";
import { signUp } from "../support/sign-up.js";
import { startTestTessera, type TestTessera } from "../support/tessera.js";
import { browserAt, retryAfterOf, signInAgain } from "../support/throttle.js";

const env = { TRUST_PROXY: "true", THROTTLE_SIGN_IN_PER_ACCOUNT_AND_IP: "3/15m" };
// Frozen: the counts stay in one window for the length of the test.
const clock = movableClock({ frozen: true });
let database: TestDatabase;
let keysDir: string;
let first: TestTessera;
let second: TestTessera;

beforeAll(async () => {
  database = await freshPostgresDatabase();
  keysDir = await fs.mkdtemp(path.join(os.tmpdir(), "tessera-throttle-two-"));
  const shared = { target: database.target, keysDir };
  first = await startTestTessera({ shared, clock, env });
  // The demo client stays as the first process seeded it (its callback on the first's URL).
  second = await startTestTessera({ shared: { ...shared, mailbox: first.mailbox }, clock, env: { ...env, DEMO_CLIENT: "false" } });
}, 120_000);
afterAll(async () => {
  await second?.close();
  await first?.close();
  await database?.drop();
  await fs.rm(keysDir, { recursive: true, force: true });
});

test("failures counted by one process refuse the next attempt in the other", async () => {
  const { person } = await signUp(first, newPerson(), browserAt(first, "192.0.2.1"));
  const ip = "198.51.100.1";
  expect((await signInAgain(first, browserAt(first, ip), person.email, "wrong-password")).status).toBe(401);
  expect((await signInAgain(first, browserAt(second, ip), person.email, "wrong-password")).status).toBe(401);
  expect((await signInAgain(first, browserAt(first, ip), person.email, "wrong-password")).status).toBe(401);

  const refused = await signInAgain(first, browserAt(second, ip), person.email, person.password);
  expect(refused.status).toBe(429);
  expect(retryAfterOf(refused)).toBeGreaterThan(0);
  expect((await signInAgain(first, browserAt(first, ip), person.email, person.password)).status).toBe(429);
});
