/**
 * Applies prisma/migrations in order, recording each in `_prisma_migrations` exactly as
 * `prisma migrate deploy` does (same table, same sha256 checksum), so either tool can take
 * over a database the other started. We apply them ourselves because Prisma's migrate
 * command needs a native engine that is not available everywhere Tessera runs.
 *
 * Every instance applies pending migrations as it starts (and the CLI before it acts), so
 * several may try at once during a rolling upgrade: they take turns under a PostgreSQL
 * advisory lock, held on one connection for the whole run, and a later one finds the
 * ledger complete and applies nothing. Without it two would both see a migration pending
 * and the second would fail half-way through its script.
 */
import { createHash, randomUUID } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import type { SqlRunner } from "./database.js";

export const migrationsDir = path.resolve(import.meta.dirname, "../../prisma/migrations");

const createLedger = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum" VARCHAR(64) NOT NULL,
  "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL,
  "logs" TEXT,
  "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

export interface Migration {
  name: string;
  script: string;
  checksum: string;
}

export class MigrationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MigrationError";
  }
}

export async function readMigrations(dir = migrationsDir): Promise<Migration[]> {
  const entries = await fs.readdir(dir, { withFileTypes: true });
  const names = entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
  return Promise.all(
    names.map(async (name) => {
      const script = await fs.readFile(path.join(dir, name, "migration.sql"), "utf8");
      return { name, script, checksum: createHash("sha256").update(script).digest("hex") };
    }),
  );
}

/**
 * The advisory lock's key, the same in every Tessera process. Advisory lock keys are
 * per database and chosen by applications; this one spells "tessmigr" in ASCII so it is
 * unlikely to collide with another application's key in a shared database.
 */
const migrationLockKey = "8387236820641474418";

/** Returns the names of the migrations it applied (empty when the database was current). */
export async function applyMigrations(sql: SqlRunner, dir = migrationsDir): Promise<string[]> {
  const inSession = sql.session ? sql.session.bind(sql) : <T>(work: (session: SqlRunner) => Promise<T>) => work(sql);
  return inSession(async (session) => {
    await session.query("SELECT pg_advisory_lock($1)", [migrationLockKey]);
    try {
      return await applyPending(session, dir);
    } finally {
      await session.query("SELECT pg_advisory_unlock($1)", [migrationLockKey]);
    }
  });
}

async function applyPending(sql: SqlRunner, dir: string): Promise<string[]> {
  await sql.exec(createLedger);
  const applied = await sql.query<{ migration_name: string; checksum: string; finished_at: Date | null }>(
    `SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" WHERE rolled_back_at IS NULL`,
  );
  const byName = new Map(applied.map((row) => [row.migration_name, row]));
  const done: string[] = [];
  for (const migration of await readMigrations(dir)) {
    const previous = byName.get(migration.name);
    if (previous?.finished_at) {
      if (previous.checksum !== migration.checksum) {
        throw new MigrationError(`Migration ${migration.name} was changed after it was applied; add a new migration instead`);
      }
      continue;
    }
    if (previous) {
      throw new MigrationError(`Migration ${migration.name} failed earlier; repair the database and mark it rolled back`);
    }
    await applyOne(sql, migration);
    done.push(migration.name);
  }
  return done;
}

async function applyOne(sql: SqlRunner, migration: Migration): Promise<void> {
  const literal = (value: string) => `'${value.replaceAll("'", "''")}'`;
  // DDL is transactional in PostgreSQL: the script and its ledger row commit together, so
  // a failing script leaves neither a half-made schema nor a record claiming it ran.
  const script = `BEGIN;
${migration.script}
;
INSERT INTO "_prisma_migrations" (id, checksum, migration_name, finished_at, applied_steps_count)
VALUES (${literal(randomUUID())}, ${literal(migration.checksum)}, ${literal(migration.name)}, now(), 1);
COMMIT;`;
  await sql.exec(script).catch(async (error: unknown) => {
    await sql.exec("ROLLBACK").catch(() => undefined);
    throw new MigrationError(`Migration ${migration.name} failed: ${error instanceof Error ? error.message : String(error)}`);
  });
}
