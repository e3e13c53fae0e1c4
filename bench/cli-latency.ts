/**
 * How long `tessera client list` takes as an operator runs it (src/cli/bin.mjs in a new
 * process), sent to a running Tessera through its admin socket and, with Tessera stopped,
 * opening the embedded database itself. Each run reports its wall time and the CPU time the
 * `tessera` process used (GNU time's user + system), which a busy machine disturbs less.
 * Usage: npx tsx bench/cli-latency.ts [runs]
 */
import { spawn } from "node:child_process";
import fs from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";

const runs = Number(process.argv[2] ?? 5);
const bin = path.resolve(import.meta.dirname, "../src/cli/bin.mjs");

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

interface Timing {
  wallMs: number;
  cpuMs: number;
}

async function timeCommand(env: NodeJS.ProcessEnv, cpuFile: string): Promise<Timing> {
  const started = performance.now();
  await new Promise<void>((resolve, reject) => {
    const child = spawn("/usr/bin/time", ["-f", "%U %S", "-o", cpuFile, process.execPath, bin, "client", "list"], { env, stdio: ["ignore", "ignore", "inherit"] });
    child.once("error", reject);
    child.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`client list exited ${code}`))));
  });
  const wallMs = performance.now() - started;
  const [user, system] = (await fs.readFile(cpuFile, "utf8")).trim().split(/\s+/).slice(-2).map(Number);
  return { wallMs, cpuMs: (user! + system!) * 1000 };
}

const dir = await fs.mkdtemp(path.join(os.tmpdir(), "tessera-bench-"));
const port = await freePort();
const env = { ...process.env, PORT: String(port), DATA_DIR: dir, KEYS_DIR: path.join(dir, "keys"), LOG_LEVEL: "warn" };
const server = spawn("npm", ["start", "--silent"], { env, stdio: "ignore", detached: true });
const cpuFile = path.join(dir, "cpu.txt");
const throughServer: Timing[] = [];
const opening: Timing[] = [];
try {
  for (;;) {
    const response = await fetch(`http://127.0.0.1:${port}/.well-known/openid-configuration`).catch(() => undefined);
    if (response?.ok) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  for (let run = 0; run < runs; run++) throughServer.push(await timeCommand(env, cpuFile));
} finally {
  process.kill(-server.pid!, "SIGTERM");
  await new Promise((resolve) => server.once("exit", resolve));
}
for (let run = 0; run < runs; run++) opening.push(await timeCommand(env, cpuFile));
await fs.rm(dir, { recursive: true, force: true });

const median = (values: number[]) => Math.round([...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!);
const summary = (label: string, timings: Timing[]) =>
  `${label}: median ${median(timings.map((t) => t.wallMs))} ms wall, ${median(timings.map((t) => t.cpuMs))} ms CPU ` +
  `(runs, wall/CPU: ${timings.map((t) => `${Math.round(t.wallMs)}/${Math.round(t.cpuMs)}`).join(", ")})`;
console.log(`load average: ${os.loadavg().map((load) => load.toFixed(1)).join(" ")}`);
console.log(summary("tessera client list, through the running Tessera's admin socket", throughServer));
console.log(summary("tessera client list, opening the embedded database itself", opening));
