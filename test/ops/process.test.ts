/**
 * `npm start`'s process as an operator meets it: refuses bad settings and an unreachable
 * database with one clear line and a non-zero exit, answers health checks, stops cleanly.
 */
import { spawn } from "node:child_process";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { eventually } from "../support/eventually.js";
import { freePort } from "../support/ports.js";

/** What `npm start` runs: one node process, so signals reach Tessera itself. */
function run(env: Record<string, string>) {
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, LOG_FORMAT: "json", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, exited, output: () => output };
}

test("a malformed setting stops start-up with a message naming it", async () => {
  const process = run({ PORT: "eighty" });
  expect(await process.exited).toBe(1);
  expect(process.output()).toContain("PORT must be a port number");
  expect(process.output()).not.toMatch(/\n\s+at /);
});

test("an unreachable database gives one clear log line and a non-zero exit", async () => {
  const process = run({ DATABASE_URL: "postgres://tessera:secret@127.0.0.1:1/tessera" });
  expect(await process.exited).toBe(1);
  const fatal = process.output().split("\n").filter((line) => line.includes('"level":60'));
  expect(fatal).toHaveLength(1);
  expect(fatal[0]).toContain("Cannot reach the database at postgres://tessera:***@127.0.0.1:1/tessera");
  expect(process.output()).not.toContain("secret");
});

test("starts on the embedded database, answers /healthz, and exits 0 on SIGTERM", async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "tessera-process-"));
  const port = await freePort();
  const process = run({ PORT: String(port), DATA_DIR: dir, KEYS_DIR: path.join(dir, "keys"), NODE_ENV: "test" });
  try {
    // A first start runs initdb in WebAssembly: tens of seconds on a busy machine.
    const health = await eventually(() => fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined), 120_000, "Tessera to answer /healthz", 250);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: "ok", database: "ok" });
    // The embedded database is one process's: a second start on the same folder says so.
    const second = run({ PORT: String(await freePort()), DATA_DIR: dir, KEYS_DIR: path.join(dir, "keys"), NODE_ENV: "test" });
    expect(await second.exited).toBe(1);
    expect(second.output()).toMatch(/The embedded database in .* is in use by process \d+/);
    const keys = await fs.readdir(path.join(dir, "keys"));
    expect(keys.sort()).toEqual(["at-rest-keys.json", "cookie-keys.json", "jwks.json"]);
    const jwks = (await (await fetch(`http://127.0.0.1:${port}/jwks`)).json()) as { keys: { alg: string; d?: string }[] };
    expect(jwks.keys.map((key) => key.alg).sort()).toEqual(["ES256", "RS256"]);
    expect(jwks.keys.every((key) => key.d === undefined)).toBe(true);
    process.child.kill("SIGTERM");
    expect(await process.exited).toBe(0);
    expect(process.output()).toContain("shutting down");
  } finally {
    process.child.kill("SIGKILL");
    await fs.rm(dir, { recursive: true, force: true });
  }
}, 180_000);
