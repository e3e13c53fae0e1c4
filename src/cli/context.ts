/**
 * What a command runs against: the configuration (read once, when a command first needs it)
 * and the database. Run by the `tessera` process, a command opens the database with pending
 * migrations applied — the same steps `npm start` takes — only when it needs it (key
 * commands work on files alone), and always closes it again. Run inside a running Tessera
 * (the admin API, admin-api-server.ts), it uses that Tessera's open database and clock: the
 * same handlers, so the same answers, without a second opener. Commands that change something security-relevant record a
 * domain event through `events(db)`, with the same subscribers as a running Tessera (the
 * audit trail among them); the command runs with the operator as its request context
 * (run-cli.ts), so the record says who did it.
 */
import { subscribeToEvents } from "../background.js";
import type { Config } from "../config.js";
import { openDatabase, type Database, applyMigrations } from "../db/index.js";
import { createEventLog, createJobRepository, createJobRunner, type EventRecorder } from "../jobs/index.js";
import { createPushRepository } from "../push/index.js";
import { createLogger, systemClock, type Clock } from "../shared/index.js";

export interface CliContext {
  config(): Config;
  clock: Clock;
  withDatabase<T>(run: (db: Database) => Promise<T>): Promise<T>;
  /** The event log on this database: events recorded here reach a running Tessera's subscribers. */
  events(db: Database): EventRecorder;
  /** A line on stderr that does not fail the command. */
  warn(message: string): void;
}

/** A running Tessera's database and clock, lent to the commands it runs for the admin API. */
export interface CliHost {
  database: Database;
  clock: Clock;
}

export function createCliContext(readConfig: () => Config, stderr: { write(text: string): unknown }, host?: CliHost): CliContext {
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
    warn: (message) => void stderr.write(`tessera: warning: ${message}\n`),
    events(db) {
      const clock = context.clock;
      // Never started: the CLI only writes jobs (in the command's transaction) for a running Tessera to run.
      const jobs = createJobRunner({ repo: createJobRepository(db.prisma), clock, log: createLogger({ level: "silent", pretty: false }), listen: db.listen, pollSeconds: 3600 });
      const events = createEventLog({ jobs, clock });
      subscribeToEvents(jobs, events, { issuer: context.config().issuer, prisma: db.prisma, clock, push: createPushRepository(db.prisma) });
      return events;
    },
  };
  return context;
}

/** The Prisma error code for a unique constraint that refused a row. */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "P2002";
}
