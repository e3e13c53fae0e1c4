/**
 * Tessera's hot paths under load, beside the same requests to the bare node-oidc-provider
 * (same version) with its memory adapter and with a minimal PostgreSQL adapter, each started
 * here in a process of its own (bench/support/). Per scenario and server: requests per
 * second and p99 at a fixed concurrency, and — steadier on a busy machine — the server's CPU
 * time per request and the SQL statements it sent per request. The full sign-in flow
 * (authorize → password → consent → code → token → userinfo) runs against Tessera only, and
 * its rate is set beside the limit one argon2id verification per flow sets on one core.
 * A tool, not a test: nothing here runs in CI.
 * Usage: DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench -- [requests per scenario] [concurrency]
 *   BENCH_ONLY=tessera|bare|bare-postgres limits the servers; BENCH_FLOWS sets the sign-in flows (default 100).
 */
import { fork, type ChildProcess } from "node:child_process";
import http from "node:http";
import path from "node:path";
import { authorize, BrowserSession, type Person } from "../test/support/browser-session.js";
import type { Ready, Stats } from "./support/target.js";

const requests = Number(process.argv[2] ?? 2000);
const concurrency = Number(process.argv[3] ?? 16);
const flows = Number(process.env.BENCH_FLOWS ?? 100);
if (!process.env.DATABASE_URL) throw new Error("set DATABASE_URL to a PostgreSQL server (the benchmark creates and drops its own databases)");

interface Target {
  name: string;
  ready: Ready;
  stats(): Promise<Stats>;
  stop(): Promise<void>;
}

async function startTarget(name: string, script: string, args: string[] = []): Promise<Target> {
  const child: ChildProcess = fork(path.join(import.meta.dirname, "support", script), args, {
    execArgv: ["--import", "tsx"],
    env: { ...process.env, BENCH_CHAINS: String(concurrency) },
    stdio: ["ignore", "ignore", "inherit", "ipc"],
  });
  const ready = await new Promise<Ready>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`${name} exited (${code}) before it was ready`)));
    child.on("message", (message: { type?: string }) => message.type === "ready" && resolve(message as Ready));
  });
  child.removeAllListeners("exit");
  return {
    name,
    ready,
    stats: () =>
      new Promise<Stats>((resolve) => {
        const onMessage = (message: { type?: string }) => {
          if (message.type !== "stats") return;
          child.off("message", onMessage);
          resolve(message as Stats);
        };
        child.on("message", onMessage);
        child.send({ type: "stats" });
      }),
    stop: () =>
      new Promise<void>((resolve) => {
        child.once("exit", () => resolve());
        child.disconnect();
      }),
  };
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
interface Answer {
  status: number;
  body: string;
}
function send(base: string, request: { method?: string; path: string; headers?: Record<string, string>; form?: Record<string, string> }): Promise<Answer> {
  const body = request.form && new URLSearchParams(request.form).toString();
  const headers = { ...request.headers, ...(body && { "content-type": "application/x-www-form-urlencoded", "content-length": String(Buffer.byteLength(body)) }) };
  return new Promise((resolve, reject) => {
    const req = http.request(new URL(request.path, base), { method: request.method ?? (body ? "POST" : "GET"), headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(body);
  });
}

interface Scenario {
  name: string;
  /** The request of one worker (`worker` < concurrency); answers whether it succeeded. */
  run(target: Ready, worker: number): Promise<boolean>;
  tesseraOnly?: boolean;
}

const basic = (ready: Ready) => `Basic ${Buffer.from(`${ready.client.id}:${ready.client.secret}`).toString("base64")}`;
const ok = async (answer: Promise<Answer>) => (await answer).status === 200;

const refreshChains = new Map<Ready, string[]>();
const scenarios: Scenario[] = [
  { name: "discovery", run: (t) => ok(send(t.issuer, { path: "/.well-known/openid-configuration" })) },
  { name: "JWKS", run: (t) => ok(send(t.issuer, { path: "/jwks" })) },
  { name: "client_credentials", run: (t) => ok(send(t.issuer, { path: "/token", headers: { authorization: basic(t) }, form: { grant_type: "client_credentials" } })) },
  { name: "introspection", run: (t) => ok(send(t.issuer, { path: "/token/introspection", headers: { authorization: basic(t) }, form: { token: t.introspected } })) },
  { name: "userinfo", run: (t) => ok(send(t.issuer, { path: "/me", headers: { authorization: `Bearer ${t.accessToken}` } })) },
  {
    name: "refresh (rotation)",
    async run(t, worker) {
      const chain = refreshChains.get(t) ?? [...t.refreshTokens];
      refreshChains.set(t, chain);
      const answer = await send(t.issuer, { path: "/token", headers: { authorization: basic(t) }, form: { grant_type: "refresh_token", refresh_token: chain[worker]! } });
      if (answer.status !== 200) return false;
      chain[worker] = (JSON.parse(answer.body) as { refresh_token: string }).refresh_token;
      return true;
    },
  },
  {
    name: "password sign-in flow",
    tesseraOnly: true,
    async run(t) {
      const signIn = t.signIn!;
      const person: Person = { name: "", email: signIn.email, password: signIn.password };
      const hop = await authorize(new BrowserSession(t.issuer), signIn.authorizeUrl, person, { existing: true });
      const code = hop.location ? new URL(hop.location).searchParams.get("code") : null;
      if (!code) return false;
      const tokens = await send(t.issuer, { path: "/token", headers: { authorization: basic(t) }, form: { grant_type: "authorization_code", code, redirect_uri: signIn.redirectUri } });
      if (tokens.status !== 200) return false;
      return ok(send(t.issuer, { path: "/me", headers: { authorization: `Bearer ${(JSON.parse(tokens.body) as { access_token: string }).access_token}` } }));
    },
  },
];

interface Result {
  perSecond: number;
  p99Ms: number;
  cpuMicrosPerRequest: number;
  statementsPerRequest: number;
  errors: number;
}

async function measure(target: Target, scenario: Scenario, count: number, workers: number): Promise<Result> {
  const runBatch = async (total: number) => {
    let next = 0;
    let errors = 0;
    const latencies: number[] = [];
    await Promise.all(
      Array.from({ length: workers }, async (_, worker) => {
        while (next < total) {
          next += 1;
          const started = performance.now();
          const succeeded = await scenario.run(target.ready, worker).catch(() => false);
          latencies.push(performance.now() - started);
          if (!succeeded) errors += 1;
        }
      }),
    );
    return { errors, latencies };
  };
  await runBatch(Math.max(workers, Math.floor(count / 10)));
  const before = await target.stats();
  const started = performance.now();
  const { errors, latencies } = await runBatch(count);
  const seconds = (performance.now() - started) / 1000;
  const after = await target.stats();
  latencies.sort((a, b) => a - b);
  return {
    perSecond: count / seconds,
    p99Ms: latencies[Math.floor(latencies.length * 0.99)] ?? 0,
    cpuMicrosPerRequest: (after.cpuMicros - before.cpuMicros) / count,
    statementsPerRequest: (after.statements - before.statements) / count,
    errors,
  };
}

const only = process.env.BENCH_ONLY;
const definitions: Array<[string, string, string[]]> = [
  ["tessera", "tessera-target.ts", []],
  ["bare", "bare-target.ts", ["memory"]],
  ["bare-postgres", "bare-target.ts", ["postgres"]],
];
const results = new Map<string, Map<string, Result>>();
const peaks = new Map<string, { maxRss: number }>();
let argon2VerifyMs = 0;
for (const [name, script, args] of definitions) {
  if (only && only !== name) continue;
  const target = await startTarget(name, script, args);
  if (target.ready.signIn) argon2VerifyMs = target.ready.signIn.argon2VerifyMs;
  const byScenario = new Map<string, Result>();
  for (const scenario of scenarios) {
    if (scenario.tesseraOnly && name !== "tessera") continue;
    const flow = scenario.tesseraOnly;
    for (const workers of flow ? [4, 16] : [concurrency]) {
      const label = flow ? `${scenario.name}, ${workers} users` : scenario.name;
      byScenario.set(label, await measure(target, scenario, flow ? flows : requests, workers));
      console.error(`${name}: ${label} done`);
    }
  }
  peaks.set(name, { maxRss: (await target.stats()).maxRss });
  results.set(name, byScenario);
  await target.stop();
}

const cores = (await import("node:os")).cpus().length;
const load = (await import("node:os")).loadavg()[0]!.toFixed(1);
console.log(`\n${requests} requests per scenario at ${concurrency} connections (sign-in flows: ${flows}); ${cores} cores, load average ${load} at the end.`);
console.log("req/s and p99 depend on the machine's load; CPU per request (the server process's user + system time) and statements per request depend far less.\n");
const scenarioNames = [...new Set([...results.values()].flatMap((byScenario) => [...byScenario.keys()]))];
const column = (value: string, width: number) => value.padStart(width);
const servers = [...results.keys()];
console.log(["scenario".padEnd(36), ...servers.map((server) => column(`${server} req/s · p99 · CPU/req · SQL/req`, 44)), column("ratio", 8)].join(""));
for (const scenario of scenarioNames) {
  const cells = servers.map((server) => {
    const r = results.get(server)?.get(scenario);
    return column(r ? `${r.perSecond.toFixed(0)} · ${r.p99Ms.toFixed(1)} ms · ${r.cpuMicrosPerRequest.toFixed(0)} µs · ${r.statementsPerRequest.toFixed(1)}${r.errors ? ` · ${r.errors} errors` : ""}` : "—", 44);
  });
  const tessera = results.get("tessera")?.get(scenario);
  const reference = results.get("bare")?.get(scenario);
  const ratio = tessera && reference ? (reference.cpuMicrosPerRequest / tessera.cpuMicrosPerRequest).toFixed(2) : "";
  console.log([scenario.padEnd(36), ...cells, column(ratio, 8)].join(""));
}
console.log("ratio: bare-library CPU per request / Tessera's (1.00 = as cheap as the bare library).");
if (argon2VerifyMs) {
  console.log(`\nOne argon2id verification with the configured cost: ${argon2VerifyMs.toFixed(1)} ms → at most ${(1000 / argon2VerifyMs).toFixed(0)} sign-in flows per second per core.`);
  for (const [label, r] of results.get("tessera") ?? []) {
    if (!label.startsWith("password")) continue;
    const perCore = 1e6 / r.cpuMicrosPerRequest;
    console.log(`  ${label}: ${(r.cpuMicrosPerRequest / 1000).toFixed(1)} ms of server CPU per flow → ${perCore.toFixed(0)} flows per core-second = ${((perCore * argon2VerifyMs) / 10).toFixed(0)} % of that limit; p99 ${r.p99Ms.toFixed(0)} ms`);
  }
}
console.log("\nPeak RSS of each server over its run:");
for (const [server, peak] of peaks) console.log(`  ${server.padEnd(14)} ${(peak.maxRss / 2 ** 20).toFixed(0)} MiB`);
agent.destroy();
