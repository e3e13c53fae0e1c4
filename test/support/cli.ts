/**
 * The operator CLI against a workspace of its own: a PGlite data folder (started from the
 * migrated snapshot), or a new database on the server named by DATABASE_URL, and a
 * temporary KEYS_DIR, with only the settings given here.
 *
 * `run` runs a command line in this process through the same `runCli` the `tessera` binary
 * runs: commander parses it, the command runs, and the test reads what it printed on stdout
 * and stderr and the exit code it answered. The commands share one open database, as they do
 * when a running Tessera runs them for the admin socket (opening PGlite costs seconds, and a
 * file runs dozens of commands); a workspace made with `{ migrated: false }` opens and
 * migrates the database in each command, as the `tessera` binary does on its own.
 * `runProcess` runs the real executable (package.json "bin") in a child process, for the
 * tests that guard the entry point itself.
 */
import { spawn } from "node:child_process";
import fs from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { createCliProvider } from "../../src/cli/cli-provider.js";
import { runOperatorCommand } from "../../src/cli/operator-command.js";
import { runCli } from "../../src/cli/run-cli.js";
import { parseConfig } from "../../src/config.js";
import { openDatabase, type Database, type DatabaseTarget } from "../../src/db/database.js";
import { applyMigrations } from "../../src/db/index.js";
import { systemClock } from "../../src/shared/clock.js";
import { freshDatabase } from "./database.js";
import { migratedSnapshot } from "./migrated-snapshot.js";

const bin = path.resolve(import.meta.dirname, "../../src/cli/bin.mjs");

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliWorkspace {
  keysDir: string;
  env: Record<string, string>;
  run(...args: string[]): Promise<CliResult>;
  /** Runs with these settings added to the environment (NODE_ENV=production, say). */
  runWith(extraEnv: Record<string, string>, ...args: string[]): Promise<CliResult>;
  /** Runs with --json, expects success and parses stdout. */
  json<T = unknown>(...args: string[]): Promise<T>;
  /** Runs `tessera …` as operators do: src/cli/bin.mjs in a child process with these settings. */
  runProcess(...args: string[]): Promise<CliResult>;
  /**
   * The CLI's database for a direct look: the commands' shared one, which stays open (so on
   * PGlite a `runProcess` command finds it in use, as it would beside a running Tessera).
   */
  withDatabase<T>(look: (db: Database) => Promise<T>): Promise<T>;
  /**
   * Serves node-oidc-provider, built as the CLI builds it (Tessera's configuration) on the
   * CLI's database, for requests to `origin` while `look` runs.
   */
  withProvider<T>(look: (origin: string) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** A workspace; `{ migrated: false }` leaves its PGlite folder empty, as on a first run. */
export async function cliWorkspace(options: { migrated?: boolean } = {}): Promise<CliWorkspace> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "tessera-cli-"));
  const keysDir = path.join(dir, "keys");
  const postgres = process.env.DATABASE_URL ? await freshDatabase() : undefined;
  const target: DatabaseTarget = postgres?.target ?? { kind: "pglite", dataDir: path.join(dir, "pglite") };
  const env: Record<string, string> = {
    NODE_ENV: "test",
    DATA_DIR: dir,
    KEYS_DIR: keysDir,
    ...(target.kind === "postgres" && { DATABASE_URL: target.url }),
  };
  if (target.kind === "pglite" && options.migrated !== false) {
    await (await openDatabase({ ...target, snapshot: await migratedSnapshot() })).close();
  }

  const shareDatabase = options.migrated !== false;
  let shared: Promise<Database> | undefined;
  const sharedDatabase = () =>
    (shared ??= openDatabase(target).then(async (db) => {
      await applyMigrations(db.sql);
      return db;
    }));
  const closeShared = async () => {
    const db = shared;
    shared = undefined;
    await (await db)?.close();
  };

  const runWith = async (extraEnv: Record<string, string>, ...args: string[]): Promise<CliResult> => {
    let stdout = "";
    let stderr = "";
    const host = shareDatabase ? { database: await sharedDatabase(), clock: systemClock } : undefined;
    const code = await runCli(
      args,
      {
        config: () => parseConfig({ ...env, ...extraEnv }),
        stdout: { write: (text: string) => (stdout += text) },
        stderr: { write: (text: string) => (stderr += text) },
      },
      { host },
    );
    return { code, stdout, stderr };
  };
  const run = (...args: string[]) => runWith({}, ...args);
  const withDatabase = async <T>(look: (db: Database) => Promise<T>) => {
    if (shareDatabase) return look(await sharedDatabase());
    const db = await openDatabase(target);
    try {
      return await look(db);
    } finally {
      await db.close();
    }
  };

  return {
    keysDir,
    env,
    run,
    runWith,
    async json<T>(...args: string[]) {
      const result = await run(...args, "--json");
      if (result.code !== 0) throw new Error(`tessera ${args.join(" ")} exited ${result.code}: ${result.stderr}`);
      return JSON.parse(result.stdout) as T;
    },
    runProcess: (...args: string[]) => runBinary(env, ...args),
    withDatabase,
    withProvider: (look) =>
      withDatabase(async (db) => {
        const provider = await createCliProvider(parseConfig(env), db, systemClock);
        const handle = provider.callback();
        const server = http.createServer((request, response) => void handle(request, response));
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
        try {
          return await look(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
        } finally {
          server.closeAllConnections();
          await new Promise<void>((resolve) => server.close(() => resolve()));
        }
      }),
    async close() {
      await closeShared();
      await postgres?.drop();
      await fs.rm(dir, { recursive: true, force: true });
    },
  };
}

/** A failure is one line on stderr, naming what was wrong, with no stack trace. */
export function expectOneLineError(result: CliResult, code: number, text: string | RegExp): void {
  expect(result.code).toBe(code);
  expect(result.stdout).toBe("");
  const lines = result.stderr.trim().split("\n");
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(typeof text === "string" ? new RegExp(escape(text)) : text);
  expect(result.stderr).not.toMatch(/\n\s+at /);
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Runs `tessera …` as operators do: src/cli/bin.mjs in a child process with these settings alone. */
export function runBinary(env: Record<string, string>, ...args: string[]): Promise<CliResult> {
  return new Promise<CliResult>((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * `tessera …` as the binary runs it, in this process: sent to the Tessera running on the
 * DATA_DIR of these settings when one answers on its admin socket, run here otherwise.
 */
export function operatorCli(env: Record<string, string | undefined>): (...args: string[]) => Promise<CliResult> {
  return async (...args) => {
    let stdout = "";
    let stderr = "";
    const code = await runOperatorCommand(args, {
      config: () => parseConfig(env),
      stdout: { write: (text: string) => (stdout += text) },
      stderr: { write: (text: string) => (stderr += text) },
    });
    return { code, stdout, stderr };
  };
}
