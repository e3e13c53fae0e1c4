/**
 * One migrated PGlite database, dumped once and loaded by every test file that needs a
 * fresh one. Creating a PGlite cluster (initdb in WebAssembly) costs several seconds of CPU
 * per file; loading a dump of one costs a fraction of that. The dump is the exact state
 * `applyMigrations` leaves (schema and `_prisma_migrations` ledger), so Tessera's own
 * migration step still runs at start and finds nothing to do.
 *
 * The dump is cached in the system's temporary folder under a name derived from everything
 * that shapes it (the PGlite version, the migration runner, every migration's text): change
 * any of them and the next run builds a new one. Two jest workers building it at once each
 * write their own file and rename it into place, so neither reads a half-written dump.
 */
import { createHash } from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { applyMigrations, migrationsDir, readMigrations } from "../../src/db/migrate.js";

const pgliteManifest = path.resolve(import.meta.dirname, "../../node_modules/@electric-sql/pglite/package.json");
const migrationRunner = path.resolve(import.meta.dirname, "../../src/db/migrate.ts");

let loaded: Promise<Blob> | undefined;

/** The migrated database as a PGlite data-folder dump (built on first use, then reused). */
export function migratedSnapshot(): Promise<Blob> {
  loaded ??= load();
  return loaded;
}

async function load(): Promise<Blob> {
  const file = path.join(os.tmpdir(), `tessera-test-pglite-${await fingerprint()}.tar`);
  const cached = await fs.readFile(file).catch(() => undefined);
  if (cached) return new Blob([cached]);
  const dump = await build();
  const partial = `${file}.${process.pid}.${Date.now()}`;
  await fs.writeFile(partial, Buffer.from(await dump.arrayBuffer()));
  await fs.rename(partial, file);
  return dump;
}

async function build(): Promise<Blob> {
  const lite = await PGlite.create();
  try {
    await applyMigrations({
      exec: async (script) => {
        await lite.exec(script);
      },
      query: async <Row>(text: string, params: unknown[] = []) => (await lite.query<Row>(text, params)).rows,
    });
    return await lite.dumpDataDir("none");
  } finally {
    await lite.close();
  }
}

async function fingerprint(): Promise<string> {
  const hash = createHash("sha256");
  hash.update(await fs.readFile(pgliteManifest));
  hash.update(await fs.readFile(migrationRunner));
  for (const migration of await readMigrations(migrationsDir)) hash.update(`${migration.name}\0${migration.checksum}\0`);
  return hash.digest("hex").slice(0, 16);
}
