/**
 * Opens Tessera's database: PostgreSQL when DATABASE_URL is set, otherwise PGlite (real
 * PostgreSQL compiled to WebAssembly) in the data folder. Both give the same Prisma client
 * and a raw SQL runner, which migrations need for multi-statement scripts.
 */
import fs from "node:fs/promises";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { lockDataDir } from "./data-dir-lock.js";
import { PrismaClient } from "../generated/prisma/client.js";

export type { PrismaClient };

/** The few raw operations that cannot go through Prisma. */
export interface SqlRunner {
  /** Runs a script of one or more statements, without parameters. */
  exec(script: string): Promise<void>;
  query<Row>(text: string, params?: unknown[]): Promise<Row[]>;
  /**
   * Runs `work` on one connection of its own, for what must share a database session (a
   * session-level advisory lock, a transaction spread over several calls). Absent where
   * there is only one connection anyway (PGlite).
   */
  session?<T>(work: (sql: SqlRunner) => Promise<T>): Promise<T>;
}

export interface Database {
  kind: "postgres" | "pglite";
  prisma: PrismaClient;
  sql: SqlRunner;
  /**
   * LISTEN on a channel: `onNotify` runs for each NOTIFY committed to it, by this process or
   * another. Resolves to the unsubscribe.
   */
  listen(channel: string, onNotify: () => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

/**
 * Where the database lives. A PGlite target may name a `snapshot` (a data folder as PGlite's
 * `dumpDataDir` writes it) that a new database starts from instead of an empty cluster:
 * tests start each file from one migrated database rather than running initdb and every
 * migration again. An existing data folder ignores it.
 */
export type DatabaseTarget =
  | { kind: "postgres"; url: string }
  | { kind: "pglite"; dataDir: string; snapshot?: Blob }
  | { kind: "pglite"; memory: true; snapshot?: Blob };

export class DatabaseUnavailableError extends Error {
  constructor(readonly target: string, cause: unknown) {
    super(`Cannot reach the database at ${target}: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = "DatabaseUnavailableError";
  }
}

export async function openDatabase(target: DatabaseTarget): Promise<Database> {
  return target.kind === "postgres" ? openPostgres(target.url) : openPGlite(target);
}

async function openPostgres(url: string): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // An idle connection the server closes (restart, failover, DROP DATABASE) is reported
  // here; unhandled, it would crash the process. The next query reconnects or fails itself.
  pool.on("error", () => undefined);
  try {
    await pool.query("SELECT 1");
  } catch (error) {
    await pool.end();
    throw new DatabaseUnavailableError(redactUrl(url), error);
  }
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  const listeners = new Set<ListenConnection>();
  return {
    kind: "postgres",
    prisma,
    listen: async (channel, onNotify) => {
      const connection = listenOnPostgres(url, channel, onNotify);
      listeners.add(connection);
      return async () => {
        listeners.delete(connection);
        await connection.close();
      };
    },
    sql: {
      exec: async (script) => {
        await pool.query(script);
      },
      query: async <Row>(text: string, params: unknown[] = []) => (await pool.query(text, params)).rows as Row[],
      session: async (work) => {
        const client = await pool.connect();
        let failure: Error | undefined;
        try {
          return await work({
            exec: async (script) => {
              await client.query(script);
            },
            query: async <Row>(text: string, params: unknown[] = []) => (await client.query(text, params)).rows as Row[],
          });
        } catch (error) {
          failure = error instanceof Error ? error : new Error(String(error));
          throw error;
        } finally {
          // After a failure the connection may still hold a lock or an aborted transaction:
          // close it rather than hand it back to the pool.
          client.release(failure);
        }
      },
    },
    close: async () => {
      await Promise.all([...listeners].map((connection) => connection.close()));
      await prisma.$disconnect();
      await pool.end();
    },
  };
}

async function openPGlite(target: ({ dataDir: string } | { memory: true }) & { snapshot?: Blob }): Promise<Database> {
  let lite: PGlite;
  let unlock = async () => undefined as void;
  if ("dataDir" in target) {
    await fs.mkdir(target.dataDir, { recursive: true });
    unlock = await lockDataDir(target.dataDir);
    const isNew = !(await fs.stat(path.join(target.dataDir, "PG_VERSION")).catch(() => undefined));
    const loadDataDir = isNew ? target.snapshot : undefined;
    lite = await PGlite.create(target.dataDir, { loadDataDir }).catch(async (error: unknown) => {
      await unlock();
      throw error;
    });
  } else {
    lite = await PGlite.create({ loadDataDir: target.snapshot });
  }
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(lite) });
  return {
    kind: "pglite",
    prisma,
    // PGlite delivers notifications of the queries it runs to its own listeners.
    listen: async (channel, onNotify) => {
      const unlisten = await lite.listen(channel, () => onNotify());
      return async () => {
        if (!lite.closed) await unlisten();
      };
    },
    sql: {
      exec: async (script) => {
        await lite.exec(script);
      },
      query: async <Row>(text: string, params: unknown[] = []) => (await lite.query<Row>(text, params)).rows,
    },
    close: async () => {
      await prisma.$disconnect();
      await lite.close();
      await unlock();
    },
  };
}

interface ListenConnection {
  close(): Promise<void>;
}

/**
 * A dedicated connection (LISTEN holds its session, so it cannot come from the pool) that
 * reconnects after a failure. Notifications sent while it is down are lost; callers poll as
 * well, so a missed one only delays work.
 */
function listenOnPostgres(url: string, channel: string, onNotify: () => void, retryMs = 2_000): ListenConnection {
  let client: pg.Client | undefined;
  let closed = false;
  let retry: NodeJS.Timeout | undefined;

  const connect = async () => {
    if (closed) return;
    const attempt = new pg.Client({ connectionString: url });
    attempt.on("notification", (message) => {
      if (message.channel === channel) onNotify();
    });
    attempt.on("error", () => {
      void attempt.end().catch(() => undefined);
      scheduleReconnect();
    });
    try {
      await attempt.connect();
      await attempt.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
    } catch {
      await attempt.end().catch(() => undefined);
      scheduleReconnect();
      return;
    }
    if (closed) {
      await attempt.end().catch(() => undefined);
      return;
    }
    client = attempt;
    // Jobs committed while there was no listener would otherwise wait for the poll.
    onNotify();
  };
  const scheduleReconnect = () => {
    client = undefined;
    if (closed || retry) return;
    retry = setTimeout(() => {
      retry = undefined;
      void connect();
    }, retryMs);
    retry.unref();
  };
  void connect();
  return {
    close: async () => {
      closed = true;
      clearTimeout(retry);
      await client?.end().catch(() => undefined);
    },
  };
}

function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "DATABASE_URL";
  }
}
