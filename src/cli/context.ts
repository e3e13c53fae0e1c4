/**
 * What a command runs against: the configuration (read once, when a command first needs it)
 * and the database. Run by the `tessera` process, a command opens the database with pending
 * migrations applied — the same steps `npm start` takes — only when it needs it (key
 * commands work on files alone), and always closes it again. Run inside a running Tessera
 * (the admin API, admin-api-server.ts), it uses that Tessera's open database and clock: the
 * same handlers, so the same answers, without a second opener.
 */
import type { Config } from "../config.js";
import { openDatabase, type Database, applyMigrations } from "../db/index.js";
import { systemClock, type Clock } from "../shared/index.js";

export interface CliContext {
  config(): Config;
  clock: Clock;
  withDatabase<T>(run: (db: Database) => Promise<T>): Promise<T>;
}

/** A running Tessera's database and clock, lent to the commands it runs for the admin API. */
export interface CliHost {
  database: Database;
  clock: Clock;
}

export function createCliContext(readConfig: () => Config, host?: CliHost): CliContext {
  let config: Config | undefined;
  const context: CliContext = {
    config: () => (config ??= readConfig()),
    clock: host?.clock ?? systemClock,
    async withDatabase(run) {
      if (host) return run(host.database);
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
