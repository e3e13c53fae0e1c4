/**
 * The README's sign-in link request, run for real with Debian's httpie: the command line is
 * read out of README.md, split by /bin/sh, and only the port and the client's secret are
 * filled in (plus the harness flags of test/readme/httpie.test.ts, which a person at a
 * terminal does not need). Its answer is a link that opens the link's page.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { registerClient } from "../support/clients.js";
import { startTestTessera, type TestTessera } from "../support/tessera.js";

const httpieBinary = "/usr/bin/http";
const harnessFlags = ["--ignore-stdin", "--print=b", "--pretty=none", "--check-status", "--timeout=20"];

let tessera: TestTessera;
let configDir: string;
beforeAll(async () => {
  if (!existsSync(httpieBinary)) throw new Error(`${httpieBinary} is missing: the README's commands need Debian's httpie (apt-get install -y httpie)`);
  configDir = await fs.mkdtemp(path.join(os.tmpdir(), "tessera-httpie-"));
  await fs.writeFile(path.join(configDir, "config.json"), JSON.stringify({ disable_update_warnings: true }));
  tessera = await startTestTessera();
});
afterAll(async () => {
  await tessera?.close();
  if (configDir) await fs.rm(configDir, { recursive: true, force: true });
});

function run(file: string, args: string[], env: Record<string, string> = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { env: { ...process.env, ...env }, timeout: 30_000 }, (error, stdout, stderr) => (error ? reject(new Error(`${file} failed: ${stderr || error.message}\n${stdout}`)) : resolve(stdout)));
  });
}

test("the README's httpie command asks for a sign-in link and gets one", async () => {
  const readme = await fs.readFile(path.resolve(import.meta.dirname, "../../README.md"), "utf8");
  const line = readme.split("\n").find((text) => text.startsWith("http -a billing:SECRET POST :3000/api/sign-in-links "));
  expect(line).toBeDefined();
  const words = (await run("/bin/sh", ["-c", `set -- ${line!}; printf '%s\\0' "$@"`])).split("\0").slice(0, -1);
  const target = words.find((word) => word.startsWith("target="))!.slice("target=".length);
  await registerClient(
    tessera,
    { client_id: "billing", client_secret: "s3cret-for-the-readme", client_name: "Billing", redirect_uris: [`${new URL(target).origin}/cb`], initiate_login_uri: `${new URL(target).origin}/oidc/login` },
    { signInLinks: true, signInLinkTargets: [`${new URL(target).origin}/manage/`] },
  );
  const port = new URL(tessera.issuer).port;
  const args = words.slice(1).map((word) => word.replace("billing:SECRET", "billing:s3cret-for-the-readme").replace(/^:3000\//, `:${port}/`));
  const answer = JSON.parse(await run(httpieBinary, [...harnessFlags, ...args], { HTTPIE_CONFIG_DIR: configDir, NO_COLOR: "1" })) as { url: string; expires_in: number };
  expect(answer.expires_in).toBe(600);
  expect(answer.url.startsWith(`${tessera.issuer}/sign-in-link/`)).toBe(true);
  const page = await fetch(answer.url);
  expect(page.status).toBe(200);
  expect(await page.text()).toContain("sent you here to sign in as <strong>ann@example.com</strong>");
});
