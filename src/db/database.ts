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
}

export interface Database {
  kind: "postgres" | "pglite";
  prisma: PrismaClient;
  sql: SqlRunner;
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
  return {
    kind: "postgres",
    prisma,
    sql: {
      exec: async (script) => {
        await pool.query(script);
      },
      query: async <Row>(text: string, params: unknown[] = []) => (await pool.query(text, params)).rows as Row[],
    },
    close: async () => {
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

function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "DATABASE_URL";
  }
}
