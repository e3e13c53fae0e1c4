/**
 * The README's quick start, run for real: a developer opens the demo authorization URL,
 * signs up, lands on /demo/callback and pastes the two httpie commands that page shows.
 * This test reads those commands out of the page's HTML exactly as a person would see
 * them, splits them as a shell would and runs Debian's httpie (`apt-get install -y httpie`).
 *
 * The only things added are harness flags that a person at a terminal does not need
 * (`--ignore-stdin` so httpie does not wait on the test runner's stdin, `--print=b` so it
 * prints only the JSON body, `--check-status` so the exit code carries the HTTP status),
 * and an isolated httpie config folder with update checks off, so no run reaches outside
 * this machine. The commands themselves are asserted to be the verbatim page text.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { decodeJwt } from "jose";
import { authorize, BrowserSession, newPerson } from "../support/browser-session.js";
import { startTestTessera, type TestTessera } from "../support/tessera.js";

const httpieBinary = "/usr/bin/http";
const harnessFlags = ["--ignore-stdin", "--print=b", "--pretty=none", "--check-status", "--timeout=20"];

let tessera: TestTessera;
let httpieConfigDir: string;

beforeAll(async () => {
  if (!existsSync(httpieBinary)) {
    throw new Error(`${httpieBinary} is missing: the README's commands need Debian's httpie (apt-get install -y httpie)`);
  }
  httpieConfigDir = await fs.mkdtemp(path.join(os.tmpdir(), "tessera-httpie-"));
  // Debian's httpie otherwise spawns a daemon that fetches its latest version number.
  await fs.writeFile(path.join(httpieConfigDir, "config.json"), JSON.stringify({ disable_update_warnings: true }));
  tessera = await startTestTessera();
});
afterAll(async () => {
  await tessera?.close();
  if (httpieConfigDir) await fs.rm(httpieConfigDir, { recursive: true, force: true });
});

/** The authorization URL the README tells a developer to open, and the home page links to. */
function readmeAuthorizeUrl(): string {
  return `/auth?client_id=demo&response_type=code&scope=openid%20profile%20email&redirect_uri=${tessera.issuer}/demo/callback&state=demo`;
}

/** Decodes the character references EJS's `<%= %>` writes (and the usual named ones). */
function unescapeHtml(text: string): string {
  const named: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: "\u00a0" };
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (entity, body: string) => {
    if (body[0] === "#") {
      const hex = body[1] === "x" || body[1] === "X";
      return String.fromCodePoint(Number.parseInt(body.slice(hex ? 2 : 1), hex ? 16 : 10));
    }
    return named[body.toLowerCase()] ?? entity;
  });
}

/** The text content of every `<pre>` on a page, keyed by its id (or its position). */
function preBlocks(html: string): { id?: string; text: string }[] {
  return [...html.matchAll(/<pre\b([^>]*)>([\s\S]*?)<\/pre>/g)].map((match) => ({
    id: /\bid="([^"]*)"/.exec(match[1]!)?.[1],
    text: unescapeHtml(match[2]!.replace(/<[^>]*>/g, "")),
  }));
}

/**
 * Splits a command line into words the way a POSIX shell does for plain words, '…' and
 * "…" (with \ escapes outside single quotes). Refuses anything a shell would expand, so a
 * command that only works thanks to expansion cannot pass here.
 */
function shellSplit(line: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (/\s/.test(c)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw new Error(`unterminated ' in: ${line}`);
      word = (word ?? "") + line.slice(i + 1, end);
      i = end;
    } else if (c === '"') {
      word ??= "";
      for (i++; line[i] !== '"'; i++) {
        if (i >= line.length) throw new Error(`unterminated " in: ${line}`);
        if (line[i] === "$" || line[i] === "`") throw new Error(`shell expansion in: ${line}`);
        if (line[i] === "\\" && /["\\$`]/.test(line[i + 1] ?? "")) i++;
        word += line[i];
      }
    } else if (c === "\\" && line[i + 1] === "\n") {
      i++; // a line continuation, should the page ever wrap a command with \
    } else if (c === "\\") {
      word = (word ?? "") + (line[++i] ?? "");
    } else if (/[$`*?[\]{}~;&|<>()#!]/.test(c)) {
      throw new Error(`shell metacharacter ${c} in: ${line}`);
    } else {
      word = (word ?? "") + c;
    }
  }
  if (word !== undefined) words.push(word);
  return words;
}

interface Run {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Runs a command as printed on the page, with `http` resolved to Debian's httpie. */
function runHttpie(command: string): Promise<Run> {
  const [program, ...args] = shellSplit(command);
  if (program !== "http") throw new Error(`not an httpie command: ${command}`);
  return new Promise((resolve, reject) => {
    execFile(
      httpieBinary,
      [...harnessFlags, ...args],
      { env: { ...process.env, HTTPIE_CONFIG_DIR: httpieConfigDir, NO_COLOR: "1" }, timeout: 30_000 },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== "number") return reject(error as Error);
        resolve({ exitCode: error ? (error.code as number) : 0, stdout, stderr });
      },
    );
  });
}

function json(run: Run): Record<string, unknown> {
  try {
    return JSON.parse(run.stdout) as Record<string, unknown>;
  } catch {
    throw new Error(`httpie did not print JSON (exit ${run.exitCode}):\n${run.stdout}\n${run.stderr}`);
  }
}

/** How /bin/sh itself splits `line` into words. */
function shWords(line: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    execFile("/bin/sh", ["-c", `printf '%s\\0' ${line}`], (error, stdout) => {
      if (error) return reject(error as Error);
      resolve(stdout.split("\0").slice(0, -1));
    });
  });
}

test("the shell splitter agrees with sh on the kind of command the page prints", async () => {
  for (const line of [
    `http :3000/me 'Authorization:Bearer a.b-c_d'`,
    `http -f -a demo:s3cret POST :1/token grant_type=authorization_code code=Ab-9_z redirect_uri=http://localhost:1/demo/callback`,
    `http -f POST :1/token a=b "c=d e" f\\ g 'h'"i"`,
    `http -f POST :1/token \\\n  a=b \\\n  c=d`,
  ]) {
    expect(shellSplit(line)).toEqual(await shWords(line));
  }
  expect(() => shellSplit("http :1/me $TOKEN")).toThrow(/metacharacter/);
  expect(unescapeHtml("&#39;a&#34; &amp;lt; &#x41;&gt;")).toBe(`'a" &lt; A>`);
});

test("the README's httpie commands, copied from /demo/callback, redeem the code and read userinfo", async () => {
  const port = new URL(tessera.issuer).port;
  const person = newPerson();
  const session = new BrowserSession(tessera.issuer);

  // Open the authorization URL, sign up, allow: the browser lands on the demo callback.
  const redirect = await authorize(session, readmeAuthorizeUrl(), person, { mailbox: tessera.mailbox });
  const callbackUrl = new URL(redirect.location!);
  expect(`${callbackUrl.origin}${callbackUrl.pathname}`).toBe(`${tessera.issuer}/demo/callback`);
  expect(callbackUrl.searchParams.get("state")).toBe("demo");
  const code = callbackUrl.searchParams.get("code")!;
  expect(code).toMatch(/^[\w-]+$/);

  const page = await session.request(callbackUrl.toString());
  expect(page.status).toBe(200);
  const blocks = preBlocks(page.body);
  const tokenCommand = blocks.find((block) => block.id === "token-command")?.text.trim();
  const userinfoCommand = blocks.find((block) => block.text.includes("/me"))?.text.trim();

  // What the README shows, verbatim.
  expect(tokenCommand).toBe(
    `http -f -a demo:demo-secret POST :${port}/token grant_type=authorization_code code=${code} redirect_uri=${tessera.issuer}/demo/callback`,
  );
  expect(userinfoCommand).toBe(`http :${port}/me 'Authorization:Bearer ACCESS_TOKEN'`);

  // Step 1: redeem the code.
  const tokenRun = await runHttpie(tokenCommand!);
  const tokens = json(tokenRun);
  expect(tokenRun.exitCode).toBe(0);
  expect(tokens).toEqual(
    expect.objectContaining({
      access_token: expect.any(String),
      id_token: expect.any(String),
      token_type: "Bearer",
      expires_in: expect.any(Number),
      scope: expect.stringContaining("openid"),
    }),
  );
  const idToken = decodeJwt(tokens.id_token as string);
  expect(idToken).toEqual(expect.objectContaining({ iss: tessera.issuer, aud: "demo", sub: expect.any(String) }));

  // Step 2: userinfo, with the placeholder replaced as the page tells the reader to.
  const userinfoRun = await runHttpie(userinfoCommand!.replace("ACCESS_TOKEN", tokens.access_token as string));
  const userinfo = json(userinfoRun);
  expect(userinfoRun.exitCode).toBe(0);
  expect(userinfo).toEqual(expect.objectContaining({ sub: idToken.sub, name: person.name, email: person.email }));

  // Pasting the token command again: codes are single-use.
  const replay = await runHttpie(tokenCommand!);
  expect(json(replay)).toEqual(expect.objectContaining({ error: "invalid_grant" }));
  expect(replay.exitCode).toBe(4); // httpie --check-status: 4xx

  // RFC 6749 §4.1.2: a replayed code should revoke what it was exchanged for.
  const afterReplay = await runHttpie(userinfoCommand!.replace("ACCESS_TOKEN", tokens.access_token as string));
  expect(afterReplay.exitCode).toBe(4);
  expect(json(afterReplay)).toEqual(expect.objectContaining({ error: "invalid_token" }));
});
