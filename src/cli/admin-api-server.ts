/**
 * Tessera's end of the admin API (the contract and why a socket: admin-api.ts). Each request
 * is one command line, run by the same runCli as the `tessera` process runs, on this
 * Tessera's open database and clock: the output, the --json documents, the errors and the
 * exit codes are the local run's by construction, and a change is seen by the provider on
 * its next request, with no restart and no second process on the embedded database.
 *
 * Each command is logged by name only ("client create"): its arguments may carry secrets.
 */
import fs from "node:fs/promises";
import http from "node:http";
import net from "node:net";
import path from "node:path";
import type { Config } from "../config.js";
import type { Database } from "../db/index.js";
import type { Clock, Logger } from "../shared/index.js";
import { adminCommandPath, adminSocketPath, type AdminAnswer } from "./admin-api.js";
import { runCli } from "./run-cli.js";

/** A command line is short; anything bigger is not one. */
const maxRequestBytes = 64 * 1024;

export interface AdminApi {
  socketPath: string;
  close(): Promise<void>;
}

export class AdminSocketInUseError extends Error {
  constructor(readonly socketPath: string) {
    super(`Another Tessera answers on ${socketPath}`);
    this.name = "AdminSocketInUseError";
  }
}

export async function startAdminApi(deps: { config: Config; database: Database; clock: Clock; log: Logger }): Promise<AdminApi> {
  const socketPath = adminSocketPath(deps.config.dataDir);
  await privateFolder(path.dirname(socketPath));
  await removeStaleSocket(socketPath);
  const log = deps.log.child({ room: "admin" });
  const server = http.createServer((request, response) => {
    answer(request, deps, log).then(
      ({ status, body }) => response.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body)),
      (error: unknown) => {
        log.error({ err: error }, "admin command failed unexpectedly");
        response.writeHead(500, { "content-type": "application/json" }).end(JSON.stringify({ error: "internal error" }));
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(socketPath, resolve);
  });
  // The folder (0700) already keeps other users out; the socket's own mode says so too.
  await fs.chmod(socketPath, 0o600);
  return {
    socketPath,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await fs.rm(socketPath, { force: true });
    },
  };
}

async function answer(request: http.IncomingMessage, deps: { config: Config; database: Database; clock: Clock }, log: Logger): Promise<{ status: number; body: unknown }> {
  if (request.method !== "POST" || request.url !== adminCommandPath) return { status: 404, body: { error: "not found" } };
  const argv = parseCommand(await readBody(request));
  if (!argv) return { status: 400, body: { error: "expected {\"argv\": [strings]}" } };
  const started = performance.now();
  let command: string | undefined;
  const result: AdminAnswer = { exitCode: 0, stdout: "", stderr: "" };
  result.exitCode = await runCli(
    argv,
    { config: () => deps.config, stdout: { write: (text: string) => (result.stdout += text) }, stderr: { write: (text: string) => (result.stderr += text) } },
    { host: { database: deps.database, clock: deps.clock }, onCommand: (name) => (command = name) },
  );
  log.info({ command: command ?? null, exitCode: result.exitCode, durationMs: Math.round(performance.now() - started) }, "admin command");
  return { status: 200, body: result };
}

function parseCommand(text: string | undefined): string[] | undefined {
  if (text === undefined) return undefined;
  try {
    const { argv } = JSON.parse(text) as { argv?: unknown };
    return Array.isArray(argv) && argv.every((word) => typeof word === "string") ? argv : undefined;
  } catch {
    return undefined;
  }
}

async function readBody(request: http.IncomingMessage): Promise<string | undefined> {
  let text = "";
  for await (const chunk of request) {
    text += String(chunk);
    if (text.length > maxRequestBytes) return undefined;
  }
  return text;
}

/** The socket's folder: created 0700, and refused if another user owns it. */
async function privateFolder(dir: string): Promise<void> {
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  const { uid } = await fs.stat(dir);
  if (process.getuid && uid !== process.getuid()) throw new Error(`${dir} belongs to another user`);
  await fs.chmod(dir, 0o700);
}

/** A socket file left by a Tessera that stopped without closing it is removed; a live one is not. */
async function removeStaleSocket(socketPath: string): Promise<void> {
  const live = await new Promise<boolean>((resolve) => {
    const probe = net.connect(socketPath);
    probe.once("connect", () => {
      probe.destroy();
      resolve(true);
    });
    probe.once("error", () => resolve(false));
  });
  if (live) throw new AdminSocketInUseError(socketPath);
  await fs.rm(socketPath, { force: true });
}
