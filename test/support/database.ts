/**
 * A fresh database for one test file: in-memory PGlite by default, started from the
 * migrated snapshot (see migrated-snapshot.ts), or a new database on the PostgreSQL server
 * named by DATABASE_URL (dropped again by `drop`).
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import type { DatabaseTarget } from "../../src/db/database.js";
import { migratedSnapshot } from "./migrated-snapshot.js";

export interface TestDatabase {
  target: DatabaseTarget;
  drop(): Promise<void>;
}

export async function freshDatabase(): Promise<TestDatabase> {
  const baseUrl = process.env.DATABASE_URL;
  if (!baseUrl) return { target: { kind: "pglite", memory: true, snapshot: await migratedSnapshot() }, drop: async () => undefined };
  return freshPostgresDatabase(baseUrl);
}

/** The PostgreSQL server tests use for what only PostgreSQL has (several processes on one database). */
export const postgresServerUrl = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

export async function freshPostgresDatabase(baseUrl = postgresServerUrl): Promise<TestDatabase> {
  const name = `tessera_test_${randomBytes(6).toString("hex")}`;
  await withAdmin(baseUrl, (admin) => admin.query(`CREATE DATABASE ${name}`));
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    target: { kind: "postgres", url: url.toString() },
    drop: () => withAdmin(baseUrl, (admin) => admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)),
  };
}

async function withAdmin(url: string, run: (client: pg.Client) => Promise<unknown>): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await run(client);
  } finally {
    await client.end();
  }
}
