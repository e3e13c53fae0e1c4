/**
 * Several instances starting at once (a rolling upgrade, a scaled deployment) apply each
 * pending migration exactly once: on PostgreSQL they take turns under an advisory lock and
 * the later ones find nothing left to do; on the embedded database a second instance cannot
 * open the data folder at all.
 */
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { openDatabase, type Database } from "../../src/db/database.js";
import { DataDirLockedError } from "../../src/db/data-dir-lock.js";
import { applyMigrations, readMigrations } from "../../src/db/migrate.js";
import { freshDatabase } from "../support/database.js";

test("instances starting together apply every migration once, and all of them start", async () => {
  if (!process.env.DATABASE_URL) {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), "tessera-migrate-"));
    try {
      // Another running process (our parent) holds the folder, as a first instance would.
      await fs.writeFile(path.join(dir, "tessera.lock"), String(process.ppid));
      await expect(openDatabase({ kind: "pglite", dataDir: dir })).rejects.toThrow(DataDirLockedError);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
    return;
  }
  const database = await freshDatabase();
  const instances: Database[] = [];
  try {
    for (let count = 0; count < 3; count++) instances.push(await openDatabase(database.target));
    const applied = await Promise.all(instances.map((instance) => applyMigrations(instance.sql)));

    const names = (await readMigrations()).map((migration) => migration.name);
    expect(applied.flat().sort()).toEqual(names);
    const ledger = await instances[0]!.sql.query<{ migration_name: string }>(`SELECT migration_name FROM "_prisma_migrations" ORDER BY migration_name`);
    expect(ledger.map((row) => row.migration_name)).toEqual(names);
  } finally {
    await Promise.all(instances.map((instance) => instance.close()));
    await database.drop();
  }
});
