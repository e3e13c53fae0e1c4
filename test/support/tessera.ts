/**
 * Starts a real Tessera for one test file: on a fresh in-memory PGlite by default, or on a
 * fresh PostgreSQL database (created from DATABASE_URL, dropped afterwards) when that is
 * set, with its own key folder and a free port.
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { parseConfig, type Config } from "../../src/config.js";
import type { DatabaseTarget } from "../../src/db/database.js";
import { startTessera, type Tessera } from "../../src/server.js";
import { createLogger } from "../../src/shared/log.js";
import type { Clock } from "../../src/shared/clock.js";

export interface TestTessera extends Tessera {
  config: Config;
  issuer: string;
}

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export async function startTestTessera(options: { env?: Record<string, string>; clock?: Clock } = {}): Promise<TestTessera> {
  const port = await freePort();
  const keysDir = await fs.mkdtemp(path.join(os.tmpdir(), "tessera-keys-"));
  const postgres = process.env.DATABASE_URL ? await createDatabase(process.env.DATABASE_URL) : undefined;
  const config = parseConfig({
    NODE_ENV: "test",
    PORT: String(port),
    HOST: "127.0.0.1",
    KEYS_DIR: keysDir,
    DATA_DIR: keysDir,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "silent",
    LOG_FORMAT: "json",
    DEMO_CLIENT: "true",
    DATABASE_URL: postgres?.url,
    ...options.env,
  });
  const database: DatabaseTarget = postgres ? { kind: "postgres", url: postgres.url } : { kind: "pglite", memory: true };
  const tessera = await startTessera(config, { log: createLogger(config.log), database, clock: options.clock });
  return {
    ...tessera,
    config,
    issuer: config.issuer,
    async close() {
      await tessera.close();
      await postgres?.drop();
      await fs.rm(keysDir, { recursive: true, force: true });
    },
  };
}

async function createDatabase(baseUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `tessera_test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: baseUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}
