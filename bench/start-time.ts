/**
 * How long `npm start` takes until the first discovery request answers, on a fresh data
 * folder (migrations and key generation included) and on a warm one.
 * Usage: npx tsx bench/start-time.ts [runs]
 */
import { spawn } from "node:child_process";
import fs from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";

const runs = Number(process.argv[2] ?? 3);

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function timeStart(dir: string): Promise<number> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn("npm", ["start", "--silent"], {
    env: { ...process.env, PORT: String(port), DATA_DIR: dir, KEYS_DIR: path.join(dir, "keys"), LOG_LEVEL: "warn" },
    stdio: "ignore",
    detached: true,
  });
  try {
    for (;;) {
      const response = await fetch(`http://127.0.0.1:${port}/.well-known/openid-configuration`).catch(() => undefined);
      if (response?.ok) return performance.now() - started;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  } finally {
    process.kill(-child.pid!, "SIGTERM");
    await new Promise((resolve) => child.once("exit", resolve));
  }
}

const cold: number[] = [];
const warm: number[] = [];
for (let run = 0; run < runs; run++) {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "tessera-bench-"));
  cold.push(await timeStart(dir));
  warm.push(await timeStart(dir));
  await fs.rm(dir, { recursive: true, force: true });
}
const summary = (label: string, values: number[]) =>
  `${label}: median ${Math.round(values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!)} ms (runs: ${values.map(Math.round).join(", ")})`;
console.log(summary("npm start → first discovery answer, fresh data folder", cold));
console.log(summary("npm start → first discovery answer, existing data folder", warm));
