/**
 * `tessera keys …`: rotation puts new keys in front and keeps the old ones (so tokens and
 * sessions made before keep verifying), and retiring refuses anything the provider still
 * signs with.
 */
import fs from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import type { Adapter } from "oidc-provider";
import { createProvider, loadOrCreateKeys } from "../../src/oidc/index.js";
import { createLogger } from "../../src/shared/log.js";
import { cliWorkspace, expectOneLineError, type CliWorkspace } from "../support/cli.js";

interface Key {
  kid: string;
  alg: string;
  status: "signing" | "verifying";
  since: string;
  sinceIsFirstSeen: boolean;
}

const timeout = 300_000;

let cli: CliWorkspace;
beforeAll(async () => {
  cli = await cliWorkspace();
}, timeout);
afterAll(() => cli.close());

const jwksFile = async () => JSON.parse(await fs.readFile(path.join(cli.keysDir, "jwks.json"), "utf8")) as { keys: { kid: string; alg: string; d?: string }[] };

/** What node-oidc-provider, given the key folder as Tessera gives it, publishes at /jwks. */
async function publishedKids(): Promise<string[]> {
  const provider = createProvider("http://localhost:3000", {
    keys: await loadOrCreateKeys(cli.keysDir),
    adapter: () => ({}) as Adapter,
    secureCookies: false,
    log: createLogger({ level: "silent", pretty: false }),
    trustProxy: false,
    allowImplicitOnLocalhost: false,
    claimContributors: [],
  } as unknown as Parameters<typeof createProvider>[1]);
  // eslint-disable-next-line @typescript-eslint/no-misused-promises -- Koa's callback settles every request itself (ctx.onerror) and never rejects.
  const server = http.createServer(provider.callback());
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks`);
    return ((await response.json()) as { keys: { kid: string }[] }).keys.map((key) => key.kid);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

test("before the first start there is nothing to list", async () => {
  expectOneLineError(await cli.run("keys", "list"), 1, "no signing keys in");
}, timeout);

test("keys rotate adds RS256 and ES256 keys in front and keeps the old ones for verification", async () => {
  const original = await loadOrCreateKeys(cli.keysDir);
  const before = await cli.json<Key[]>("keys", "list");
  expect(before.map((key) => [key.alg, key.status, key.sinceIsFirstSeen])).toEqual([["RS256", "signing", true], ["ES256", "signing", true]]);

  const rotated = await cli.json<{ added: string[]; keys: Key[] }>("keys", "rotate");
  expect(rotated.added).toHaveLength(2);
  expect(rotated.keys.map((key) => key.kid)).toEqual([...rotated.added, ...before.map((key) => key.kid)]);
  expect(rotated.keys.map((key) => `${key.alg} ${key.status}`)).toEqual(["RS256 signing", "ES256 signing", "RS256 verifying", "ES256 verifying"]);
  expect(rotated.keys.slice(2).map((key) => key.since)).toEqual(before.map((key) => key.since));

  const file = await jwksFile();
  expect(file.keys.slice(2)).toEqual(original.jwks.keys);
  expect(file.keys.every((key) => typeof key.d === "string")).toBe(true);
  expect((await fs.stat(path.join(cli.keysDir, "jwks.json"))).mode & 0o077).toBe(0);
  expect(await cli.json<Key[]>("keys", "list")).toEqual(rotated.keys);
  expect(await publishedKids()).toEqual(rotated.keys.map((key) => key.kid));
}, timeout);

test("keys retire refuses signing keys and the last key of an algorithm, and removes a verifying key", async () => {
  const keys = await cli.json<Key[]>("keys", "list");
  const [newRsa, newEc, oldRsa, oldEc] = keys.map((key) => key.kid) as [string, string, string, string];
  expectOneLineError(await cli.run("keys", "retire", "--kid", newRsa), 1, `${newRsa} is the signing RS256 key`);
  expectOneLineError(await cli.run("keys", "retire", "--kid", "nope"), 1, "no key has kid nope");

  expect(await cli.json("keys", "retire", "--kid", oldRsa)).toMatchObject({ retired: { kid: oldRsa, alg: "RS256", status: "verifying" } });
  expectOneLineError(await cli.run("keys", "retire", "--kid", newRsa), 1, `${newRsa} is the last RS256 key`);
  expect((await jwksFile()).keys.map((key) => key.kid)).toEqual([newRsa, newEc, oldEc]);
  expect((await cli.json<Key[]>("keys", "list")).map((key) => key.kid)).toEqual([newRsa, newEc, oldEc]);
}, timeout);
