/**
 * The CLI on a running Tessera: the command line goes to the Tessera's admin socket, runs
 * there on its open database (the embedded one, which no second process may open), and the
 * running provider serves the change on its next request. The answers are those of a local
 * run; only the operator's user can connect; the CLI opens the database itself when no
 * Tessera answers.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs/promises";
import path from "node:path";
import { PassThrough } from "node:stream";
import { pino } from "pino";
import { adminSocketPath } from "../../src/cli/admin-api.js";
import { cliWorkspace, operatorCli, runBinary, type CliResult, type CliWorkspace } from "../support/cli.js";
import { startTestTessera, type TestTessera } from "../support/tessera.js";

const timeout = 300_000;

let tessera: TestTessera;
let local: CliWorkspace;
let logLines: Record<string, unknown>[];
let env: Record<string, string>;
let tesseraCli: (...args: string[]) => Promise<CliResult>;

beforeAll(async () => {
  logLines = [];
  const logStream = new PassThrough();
  logStream.on("data", (chunk: Buffer) => logLines.push(...chunk.toString().trim().split("\n").map((line) => JSON.parse(line) as Record<string, unknown>)));
  [tessera, local] = await Promise.all([startTestTessera({ log: pino({ level: "info" }, logStream) }), cliWorkspace()]);
  env = {
    NODE_ENV: "test",
    DATA_DIR: tessera.config.dataDir,
    KEYS_DIR: tessera.config.keysDir,
    ...(tessera.target.kind === "postgres" && { DATABASE_URL: tessera.target.url }),
  };
  tesseraCli = operatorCli(env);
}, timeout);
afterAll(async () => {
  await tessera?.close();
  await local?.close();
});

/** Where the provider sends the browser for an authorization request from this client with this redirect URI. */
async function authorize(clientId: string, redirectUri: string): Promise<{ status: number; location: string | null }> {
  const query = new URLSearchParams({ client_id: clientId, redirect_uri: redirectUri, response_type: "code", scope: "openid", state: "s", nonce: "n" });
  const response = await fetch(`${tessera.issuer}/auth?${query}`, { redirect: "manual" });
  return { status: response.status, location: response.headers.get("location") };
}

test("a client created and changed through the running Tessera is served at once, without a restart", async () => {
  const created = await tesseraCli("client", "create", "--id", "shop", "--name", "Shop", "--redirect-uri", "https://shop.example/cb", "--json");
  expect(created).toMatchObject({ code: 0, stderr: "" });
  const secret = (JSON.parse(created.stdout) as { clientSecret: string }).clientSecret;
  expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);

  const listed = await tesseraCli("client", "list", "--json");
  expect((JSON.parse(listed.stdout) as { id: string }[]).map((client) => client.id)).toContain("shop");
  // The real executable takes the same path and prints the same document.
  expect(await runBinary(env, "client", "list", "--json")).toEqual(listed);

  expect((await authorize("shop", "https://shop.example/cb")).location).toMatch(/\/interaction\//);
  expect((await authorize("shop", "https://shop.example/new")).status).toBe(400);

  expect(await tesseraCli("client", "update", "shop", "--redirect-uri", "https://shop.example/new")).toMatchObject({ code: 0, stderr: "" });
  expect((await authorize("shop", "https://shop.example/new")).location).toMatch(/\/interaction\//);
  expect((await authorize("shop", "https://shop.example/cb")).status).toBe(400);

  // Each command is logged by its name; never its arguments, which may carry secrets.
  const logged = logLines.filter((line) => line.msg === "admin command");
  expect(logged.map((line) => [line.command, line.exitCode])).toEqual(expect.arrayContaining([["client create", 0], ["client list", 0], ["client update", 0]]));
  const everything = JSON.stringify(logLines);
  expect(everything).not.toContain(secret);
  expect(everything).not.toContain("shop.example");
}, timeout);

test("failures are the local run's: the same line on stderr and the same exit code", async () => {
  const commandLines = [
    ["client", "show", "nobody"],
    ["client", "list", "--colour"],
    ["client", "create", "--id", "bad:id", "--name", "X", "--redirect-uri", "https://x.example/cb"],
    ["client", "create", "--id", "x", "--name", "X", "--redirect-uri", "not a url"],
    ["org", "update", "nobody", "--name", "X"],
  ];
  for (const argv of commandLines) {
    const [remote, here] = [await tesseraCli(...argv), await local.run(...argv)];
    expect({ argv, ...remote }).toEqual({ argv, ...here });
    expect(remote.code).not.toBe(0);
  }
  expect(logLines.filter((line) => line.msg === "admin command").map((line) => line.command)).toEqual(expect.arrayContaining(["client show", "org update"]));
}, timeout);

test("only the user Tessera runs as can reach the admin socket", async () => {
  const socketPath = adminSocketPath(tessera.config.dataDir);
  expect((await fs.stat(socketPath)).mode & 0o777).toBe(0o600);
  expect((await fs.stat(path.dirname(socketPath))).mode & 0o777).toBe(0o700);
  if (process.getuid?.() !== 0) return;
  // As root the test can try as another user (nobody), with the folders above the admin one open to it.
  await fs.chmod(tessera.config.dataDir, 0o755);
  const connect = `require("node:net").connect(${JSON.stringify(socketPath)}).on("connect", () => { console.log("connected"); process.exit(0); }).on("error", (error) => { console.log(error.code); process.exit(0); });`;
  const asNobody = spawnSync(process.execPath, ["-e", connect], { uid: 65534, gid: 65534, encoding: "utf8" });
  expect(asNobody.stdout.trim()).toBe("EACCES");
}, timeout);

test("without a running Tessera the CLI opens the database itself, even past a socket left behind", async () => {
  const socketPath = adminSocketPath(local.env.DATA_DIR!);
  await fs.mkdir(path.dirname(socketPath), { recursive: true });
  await fs.writeFile(socketPath, "");
  const run = operatorCli(local.env);
  const listed = await run("org", "list", "--json");
  expect({ code: listed.code, stderr: listed.stderr }).toEqual({ code: 0, stderr: "" });
  expect((JSON.parse(listed.stdout) as { slug: string }[]).map((org) => org.slug)).toEqual(["default"]);
}, timeout);
