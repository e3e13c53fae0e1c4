/**
 * What a command runs against: the configuration (read once, when a command first needs it)
 * and the database, opened with pending migrations applied — the same steps
 * `npm start` takes — only by commands that need it (key commands work on files alone),
 * and always closed again.
 */
import type { Config } from "../config.js";
import { openDatabase, type Database, applyMigrations } from "../db/index.js";
import { systemClock, type Clock } from "../shared/index.js";

export interface CliContext {
  config(): Config;
  clock: Clock;
  withDatabase<T>(run: (db: Database) => Promise<T>): Promise<T>;
}

export function createCliContext(readConfig: () => Config): CliContext {
  let config: Config | undefined;
  const context: CliContext = {
    config: () => (config ??= readConfig()),
    clock: systemClock,
    async withDatabase(run) {
      const db = await openDatabase(context.config().database);
      try {
        await applyMigrations(db.sql);
        return await run(db);
      } finally {
        await db.close();
      }
    },
  };
  return context;
}

/** The Prisma error code for a unique constraint that refused a row. */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "P2002";
}
