/**
 * Guards the migration history: it must produce exactly what prisma/schema.prisma describes,
 * and our own applier must record it the way `prisma migrate deploy` would.
 */
import { createHash } from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import { diffMigrationsToSchema, schemaPath } from "../../scripts/schema-diff.js";
import { openDatabase, type Database } from "../../src/db/database.js";
import { applyMigrations, MigrationError, migrationsDir, readMigrations } from "../../src/db/migrate.js";

describe("migration history vs schema.prisma", () => {
  it("has no drift (run `npm run db:migration -- <name>` after editing the schema)", async () => {
    expect(await diffMigrationsToSchema()).toBe("");
  });

  it("notices a schema change that has no migration", async () => {
    const schema = await fs.readFile(schemaPath, "utf8");
    const edited = schema.replace(/(model User \{\n)/, "$1  nickname String?\n");
    expect(edited).not.toBe(schema);

    expect(await diffMigrationsToSchema({ schema: edited })).toMatch(/ALTER TABLE "user" ADD COLUMN\s+"nickname" TEXT/);
  });
});

describe("applyMigrations", () => {
  let db: Database;
  beforeEach(async () => {
    db = await openDatabase({ kind: "pglite", memory: true });
  });
  afterEach(async () => {
    await db.close();
  });

  it("creates the tables and records every migration as Prisma does, once", async () => {
    const migrations = await readMigrations();
    expect(migrations.length).toBeGreaterThan(0);

    expect(await applyMigrations(db.sql)).toEqual(migrations.map((migration) => migration.name));

    const tables = await db.sql.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name`,
    );
    expect(tables.map((row) => row.table_name)).toEqual(
      expect.arrayContaining(["_prisma_migrations", "client", "email", "oidc_model", "user"]),
    );

    const ledger = await db.sql.query<{ migration_name: string; checksum: string; finished_at: Date | null; applied_steps_count: number }>(
      `SELECT migration_name, checksum, finished_at, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name`,
    );
    // Hash the files here rather than trusting readMigrations, since the checksum is what
    // `prisma migrate deploy` compares against when it takes the database over.
    const expected = await Promise.all(
      migrations.map(async ({ name }) => ({
        migration_name: name,
        checksum: createHash("sha256").update(await fs.readFile(path.join(migrationsDir, name, "migration.sql"))).digest("hex"),
        finished_at: expect.any(Date),
        applied_steps_count: 1,
      })),
    );
    expect(ledger).toEqual(expected);

    expect(await applyMigrations(db.sql)).toEqual([]);
    expect(await db.sql.query(`SELECT 1 FROM "_prisma_migrations"`)).toHaveLength(migrations.length);
  });

  describe("with a migration edited after it was applied", () => {
    let dir: string;
    beforeEach(async () => {
      dir = await fs.mkdtemp(path.join(os.tmpdir(), "tessera-migrations-"));
      await fs.cp(migrationsDir, dir, { recursive: true });
    });
    afterEach(async () => {
      await fs.rm(dir, { recursive: true, force: true });
    });

    it("refuses to go on", async () => {
      const [first] = await applyMigrations(db.sql, dir);
      if (!first) throw new Error("expected at least one migration");
      await fs.appendFile(path.join(dir, first, "migration.sql"), "\n-- edited afterwards\n");

      const rerun = applyMigrations(db.sql, dir);
      await expect(rerun).rejects.toThrow(MigrationError);
      await expect(rerun).rejects.toThrow(first);
    });
  });
});
