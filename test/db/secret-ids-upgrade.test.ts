/**
 * Upgrading a database whose tokens and sessions were stored under their own values: the
 * migration re-keys them by hash in place, so everyone stays signed in and every token
 * issued before the upgrade keeps working, while no plain value is left behind.
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { openDatabase, type Database } from "../../src/db/database.js";
import { applyMigrations, migrationsDir } from "../../src/db/migrate.js";
import { createAdapterFactory } from "../../src/oidc/index.js";
import { atRestKeys } from "../../src/oidc/at-rest-key.js";
import { freshPostgresDatabase, type TestDatabase } from "../support/database.js";

const hashing = "20261201202000_hash_secret_ids";
let db: Database;
let database: TestDatabase | undefined;
let before: string;

beforeAll(async () => {
  database = process.env.DATABASE_URL ? await freshPostgresDatabase(process.env.DATABASE_URL) : undefined;
  db = await openDatabase(database?.target ?? { kind: "pglite", memory: true });
  before = await fs.mkdtemp(path.join(os.tmpdir(), "tessera-migrations-"));
  for (const entry of await fs.readdir(migrationsDir)) {
    if (entry < hashing || entry.endsWith(".toml")) await fs.cp(path.join(migrationsDir, entry), path.join(before, entry), { recursive: true });
  }
}, 180_000); // a blank PGlite cluster is created here, not loaded from the migrated snapshot
afterAll(async () => {
  await db?.close();
  await database?.drop();
  if (before) await fs.rm(before, { recursive: true, force: true });
});

test("sessions, tokens and codes stored in plain are re-keyed by hash and still found by their value", async () => {
  await applyMigrations(db.sql, before);
  const later = new Date(Date.now() + 3600_000);
  const rows = [
    ["Session", "session-cookie-value-0123456789", { jti: "session-cookie-value-0123456789", accountId: "a1", uid: "su1" }, null],
    ["AccessToken", "access-token-value-0123456789abcdef", { jti: "access-token-value-0123456789abcdef", accountId: "a1", grantId: "g1" }, "g1"],
    ["RefreshToken", "refresh-token-value-0123456789abcdef", { jti: "refresh-token-value-0123456789abcdef", accountId: "a1", grantId: "g1" }, "g1"],
    ["Grant", "g1", { jti: "g1", accountId: "a1", clientId: "demo" }, null],
    ["Interaction", "interaction-uid", { jti: "interaction-uid", session: { accountId: "a1", uid: "su1", cookie: "session-cookie-value-0123456789" } }, null],
  ] as const;
  for (const [model, id, payload, grantId] of rows) {
    await db.sql.query(`INSERT INTO oidc_model (model, id, payload, grant_id, expires_at) VALUES ($1, $2, $3, $4, $5)`, [model, id, JSON.stringify(payload), grantId, later]);
  }

  await applyMigrations(db.sql);

  const dump = JSON.stringify(await db.sql.query("SELECT * FROM oidc_model"));
  for (const secret of ["session-cookie-value-0123456789", "access-token-value-0123456789abcdef", "refresh-token-value-0123456789abcdef"]) {
    expect(dump).not.toContain(secret);
  }
  const adapterFor = createAdapterFactory(db.prisma, { now: () => new Date() }, atRestKeys([{ kid: "t", key: randomBytes(32) }]));
  expect(await adapterFor("Session").find("session-cookie-value-0123456789")).toEqual(rows[0][2]);
  expect(await adapterFor("AccessToken").find("access-token-value-0123456789abcdef")).toEqual(rows[1][2]);
  expect(await adapterFor("RefreshToken").find("refresh-token-value-0123456789abcdef")).toEqual(rows[2][2]);
  expect(await adapterFor("Grant").find("g1")).toEqual(rows[3][2]);
  expect(await adapterFor("Interaction").find("interaction-uid")).toEqual({ jti: "interaction-uid", session: { accountId: "a1", uid: "su1" } });
});
