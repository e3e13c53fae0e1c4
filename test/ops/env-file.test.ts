/**
 * `.env` as an operator uses it: `.env.example` can be sourced by a POSIX shell, and the
 * real `npm start` process reads `.env` from its working directory, with a variable set in
 * the real environment winning over the file.
 */
import { execFile, spawn } from "node:child_process";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";

const root = path.resolve(import.meta.dirname, "../..");

test(".env.example can be sourced by a POSIX shell, values with spaces and <…> intact", async () => {
  const { stdout } = await promisify(execFile)("sh", ["-c", 'set -a && . ./.env.example && printf "%s" "$MAIL_FROM"'], { cwd: root });
  expect(stdout).toBe("Tessera <no-reply@localhost>");
});

/** Starts src/main.ts in `cwd` with only `env`; resolves when it exits. */
function start(cwd: string, env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const tsx = pathToFileURL(path.join(root, "node_modules/tsx/dist/loader.mjs")).href;
  const child = spawn(process.execPath, ["--import", tsx, path.join(root, "src/main.ts")], {
    cwd,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  return new Promise((resolve) => child.once("exit", (code) => resolve({ code, output })));
}

test("a .env file in the working directory is read at start, and the real environment wins over it", async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "tessera-env-"));
  try {
    // Two malformed settings in the file; the environment corrects one of them, so start-up
    // must stop naming exactly the other.
    await fs.writeFile(path.join(dir, ".env"), 'PORT=eighty\nLOG_LEVEL="very loud"\n');
    // Were .env ignored, the unreachable database would stop it instead (not a server left running).
    const { code, output } = await start(dir, { LOG_LEVEL: "info", DATABASE_URL: "postgres://tessera@127.0.0.1:1/tessera" });
    expect(code).toBe(1);
    expect(output).toContain("PORT must be a port number");
    expect(output).not.toContain("LOG_LEVEL");
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
});
