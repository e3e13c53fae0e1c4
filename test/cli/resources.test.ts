/**
 * `tessera resource …`: resource servers (RFC 8707) are created, listed, changed and
 * deleted; the provider reads them (a client_credentials token for one is a JWT with it as
 * audience and only its scopes); a malformed identifier, scope list or lifetime is refused
 * in one line before anything is written.
 */
import { decodeJwt } from "jose";
import { cliWorkspace, expectOneLineError, type CliWorkspace } from "../support/cli.js";

interface ResourceJson {
  identifier: string;
  name: string;
  scope: string;
  accessTokenTtl: number;
  createdAt: string;
}

/** Each command opens the database anew: seconds apiece on a busy machine. */
const timeout = 300_000;
const api = "https://api.example.com";

let cli: CliWorkspace;
beforeAll(async () => {
  cli = await cliWorkspace();
}, timeout);
afterAll(() => cli.close());

const rows = () => cli.withDatabase((db) => db.prisma.resourceServer.findMany({ orderBy: { identifier: "asc" } }));

test("create, list, update and delete a resource server, with --json", async () => {
  const created = await cli.json<ResourceJson>("resource", "create", "--identifier", api, "--name", "API", "--scope", "read  write read", "--ttl", "600");
  expect(created).toMatchObject({ identifier: api, name: "API", scope: "read write", accessTokenTtl: 600 });
  expect(Number.isNaN(Date.parse(created.createdAt))).toBe(false);
  const local = await cli.json<ResourceJson>("resource", "create", "--identifier", "http://localhost:8080/api", "--name", "Local", "--scope", "debug");
  expect(local).toMatchObject({ accessTokenTtl: 3600 });

  expect(await cli.json<ResourceJson[]>("resource", "list")).toEqual([
    { identifier: "http://localhost:8080/api", name: "Local", scope: "debug", accessTokenTtl: 3600, createdAt: local.createdAt },
    { identifier: api, name: "API", scope: "read write", accessTokenTtl: 600, createdAt: created.createdAt },
  ]);
  const table = await cli.run("resource", "list");
  expect(table.stdout).toMatch(/^IDENTIFIER\s+NAME\s+TTL\s+SCOPE$/m);
  expect(table.stdout).toMatch(/^https:\/\/api\.example\.com\s+API\s+600\s+read write$/m);

  const updated = await cli.json<ResourceJson>("resource", "update", api, "--scope", "read write admin", "--ttl", "120");
  expect(updated).toMatchObject({ identifier: api, name: "API", scope: "read write admin", accessTokenTtl: 120 });
  expect((await rows()).find((row) => row.identifier === api)).toMatchObject({ scope: "read write admin", accessTokenTtl: 120 });
  expect(await cli.json<ResourceJson>("resource", "update", api, "--name", "Orders API")).toMatchObject({ name: "Orders API", scope: "read write admin" });

  expect(await cli.json("resource", "delete", "http://localhost:8080/api")).toEqual({ identifier: "http://localhost:8080/api", deleted: true });
  expect((await rows()).map((row) => row.identifier)).toEqual([api]);
  expectOneLineError(await cli.run("resource", "delete", "http://localhost:8080/api"), 1, "no resource server has identifier http://localhost:8080/api");
  expectOneLineError(await cli.run("resource", "update", "https://nowhere.example", "--name", "X"), 1, "no resource server has identifier https://nowhere.example");
  expectOneLineError(await cli.run("resource", "create", "--identifier", api, "--name", "Again", "--scope", "read"), 1, `--identifier: a resource server with identifier ${api} already exists`);
}, timeout);

/** A client_credentials token for `resource` from the provider on the CLI's database. */
async function clientCredentialsToken(secret: string, resource: string, scope: string) {
  return cli.withProvider(async (origin) => {
    const response = await fetch(`${origin}/token`, {
      method: "POST",
      headers: { authorization: `Basic ${Buffer.from(`worker:${secret}`).toString("base64")}`, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "client_credentials", resource, scope }).toString(),
    });
    expect(response.status).toBe(200);
    return (await response.json()) as { access_token: string; expires_in: number; scope: string };
  });
}

let workerSecret: string;

test("the provider issues tokens for a resource server as created: a JWT with it as audience and only its scopes", async () => {
  workerSecret = (await cli.json<{ clientSecret: string }>("client", "create", "--id", "worker", "--name", "Worker", "--grant-type", "client_credentials")).clientSecret;
  const token = await clientCredentialsToken(workerSecret, api, "read admin");
  expect(token.scope).toBe("read admin");
  expect(decodeJwt(token.access_token)).toMatchObject({ aud: api, client_id: "worker", scope: "read admin" });
}, timeout);

test("the provider gives tokens for a resource server the lifetime set with --ttl", async () => {
  const token = await clientCredentialsToken(workerSecret, api, "read");
  expect(token.expires_in).toBe(120);
  const claims = decodeJwt(token.access_token);
  expect(claims.exp! - claims.iat!).toBe(120);
}, timeout);

test("a bad identifier, scope list or lifetime is one line, exit 2, and nothing is written", async () => {
  const before = await rows();
  const create = (identifier: string, scope = "read", ...rest: string[]) => cli.run("resource", "create", "--identifier", identifier, "--name", "Bad", "--scope", scope, ...rest);
  // Refused while parsing the command line, before the database is opened: safe to run side by side.
  const [notAbsolute, plainHttp, fragment, notNormal, ftp, quote, empty, zero, negative, fraction, updateScope, updateTtl] = await Promise.all([
    create("api.example.com"),
    create("http://api.example.com"),
    create("https://api.example.com/#v1"),
    create("https://API.example.com:443"),
    create("ftp://files.example.com"),
    create("https://bad.example", 'read "write"'),
    create("https://bad.example", "   "),
    create("https://bad.example", "read", "--ttl", "0"),
    create("https://bad.example", "read", "--ttl", "-60"),
    create("https://bad.example", "read", "--ttl", "1.5"),
    cli.run("resource", "update", api, "--scope", "read\\write"),
    cli.run("resource", "update", api, "--ttl", "soon"),
  ]);
  const identifier = (value: string) => `option '--identifier <uri>' argument '${value}' is invalid. `;
  expectOneLineError(notAbsolute, 2, `${identifier("api.example.com")}Must be an absolute URI such as https://api.example.com.`);
  expectOneLineError(plainHttp, 2, `${identifier("http://api.example.com")}Must use https (http only for localhost or 127.0.0.1, outside production).`);
  expectOneLineError(fragment, 2, `${identifier("https://api.example.com/#v1")}Must not contain a fragment`);
  expectOneLineError(notNormal, 2, `${identifier("https://API.example.com:443")}Must be written as clients will send it, in normal form: https://api.example.com`);
  expectOneLineError(ftp, 2, `${identifier("ftp://files.example.com")}Must use https`);
  expectOneLineError(quote, 2, `option '--scope <scopes>' argument 'read "write"' is invalid. "\\"write\\"" is not a scope`);
  expectOneLineError(empty, 2, "Must list at least one scope, separated by spaces.");
  for (const [result, value] of [[zero, "0"], [negative, "-60"], [fraction, "1.5"], [updateTtl, "soon"]] as const) {
    expectOneLineError(result, 2, `option '--ttl <seconds>' argument '${value}' is invalid. Must be a positive whole number of seconds.`);
  }
  expectOneLineError(updateScope, 2, "is not a scope");
  expect(await rows()).toEqual(before);
}, timeout);

test("http://localhost is refused in production, before the database is opened", async () => {
  const before = await rows();
  const result = await cli.runWith(
    { NODE_ENV: "production", ISSUER: "https://id.example.com", SMTP_URL: "smtp://127.0.0.1:1", TRUST_PROXY: "true" },
    "resource", "create", "--identifier", "http://localhost:8080", "--name", "Local", "--scope", "read",
  );
  expectOneLineError(result, 2, /^tessera: --identifier: http is for localhost outside production only; use https$/);
  expect(await rows()).toEqual(before);
}, timeout);
