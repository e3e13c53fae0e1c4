/**
 * `tessera client …`: a created client's secret is printed once and never again, the stored
 * row is one node-oidc-provider loads and authenticates, metadata the provider would refuse
 * is refused before anything is written, and rotate-secret replaces the secret. An initial
 * access token for dynamic registration is printed once and accepted by the provider.
 */
import { registrationPolicyName } from "../../src/oidc/index.js";
import { storedIdOf } from "../../src/oidc/stored-id.js";
import { cliWorkspace, expectOneLineError, type CliWorkspace } from "../support/cli.js";

interface ClientJson {
  id: string;
  name: string;
  organisation: string;
  cooloffHours: number | null;
  firstParty: boolean;
  hasSecret: boolean;
  metadata: Record<string, unknown>;
  clientSecret?: string;
}

/** Each command opens the database anew: seconds apiece on a busy machine. */
const timeout = 300_000;

let cli: CliWorkspace;
beforeAll(async () => {
  cli = await cliWorkspace();
}, timeout);
afterAll(() => cli.close());

/**
 * Asks node-oidc-provider, configured as Tessera configures it and reading the same
 * database, for a client_credentials token with HTTP Basic credentials.
 */
async function tokenStatus(clientId: string, secret: string): Promise<number> {
  return cli.withProvider(async (origin) => {
    const response = await fetch(`${origin}/token`, {
      method: "POST",
      headers: { authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString("base64")}`, "content-type": "application/x-www-form-urlencoded" },
      body: "grant_type=client_credentials",
    });
    if (response.status === 200) expect(await response.json()).toMatchObject({ token_type: "Bearer" });
    return response.status;
  });
}

const clientRow = (id: string) => cli.withDatabase((db) => db.prisma.client.findUnique({ where: { id }, include: { organisation: true } }));

test("client create prints a strong secret once; show and list never do", async () => {
  await cli.json("org", "create", "--slug", "acme", "--name", "Acme");
  const created = await cli.json<ClientJson>(
    "client", "create", "--id", "shop", "--name", "Shop",
    "--redirect-uri", "https://shop.example/cb", "--redirect-uri", "https://shop.example/cb2",
    "--grant-type", "client_credentials", "--grant-type", "authorization_code",
    "--org", "acme", "--cooloff-hours", "24", "--first-party", "--require-verified-email",
    "--post-logout-redirect-uri", "https://shop.example/bye",
  );
  expect(created.clientSecret).toMatch(/^[A-Za-z0-9_-]{43}$/);
  expect(created).toMatchObject({ id: "shop", name: "Shop", organisation: "acme", cooloffHours: 24, firstParty: true, hasSecret: true });
  expect(created.metadata).not.toHaveProperty("client_secret");

  const row = await clientRow("shop");
  expect(row).toMatchObject({ firstParty: true, requireVerifiedEmail: true, cooloffHours: 24, organisation: { slug: "acme" } });
  // The secret is stored encrypted (src/oidc/client-secrets.ts), never as itself.
  expect(JSON.stringify(row)).not.toContain(created.clientSecret);
  expect(row?.metadata).toMatchObject({
    client_id: "shop",
    client_secret: expect.stringMatching(/^sealed:v1:/),
    client_name: "Shop",
    redirect_uris: ["https://shop.example/cb", "https://shop.example/cb2"],
    post_logout_redirect_uris: ["https://shop.example/bye"],
    response_types: ["code"],
    token_endpoint_auth_method: "client_secret_basic",
  });

  const shown = await cli.run("client", "show", "shop");
  expect(shown.code).toBe(0);
  expect(shown.stdout).toMatch(/^secret:\s+set \(not shown\)$/m);
  expect(shown.stdout).toMatch(/^organisation:\s+acme$/m);
  for (const output of [shown.stdout, (await cli.run("client", "show", "shop", "--json")).stdout, (await cli.run("client", "list", "--json")).stdout]) {
    expect(output).not.toContain(created.clientSecret);
  }
  expect(await tokenStatus("shop", created.clientSecret!)).toBe(200);
  expect(await tokenStatus("shop", "wrong-secret")).toBe(401);
  shopSecret = created.clientSecret!;
}, timeout);

let shopSecret: string;

test("rotate-secret prints a new secret once; the old one stops working", async () => {
  const before = (await clientRow("shop"))?.metadata as { client_secret: string };
  const rotated = await cli.json<ClientJson>("client", "rotate-secret", "shop");
  expect(rotated.clientSecret).toMatch(/^[A-Za-z0-9_-]{43}$/);
  expect(rotated.clientSecret).not.toBe(shopSecret);
  const after = await clientRow("shop");
  expect((after?.metadata as { client_secret: string }).client_secret).not.toBe(before.client_secret);
  expect(JSON.stringify(after)).not.toContain(rotated.clientSecret);
  expect(await tokenStatus("shop", rotated.clientSecret!)).toBe(200);
  expect(await tokenStatus("shop", shopSecret)).toBe(401);

  const text = await cli.run("client", "rotate-secret", "shop");
  expect(text.stdout).toMatch(/^client secret:\s+[A-Za-z0-9_-]{43}\s+\(shown once: store it now\)$/m);
}, timeout);

test("a redirect URI or response type the provider refuses is refused with its message, and nothing is written", async () => {
  expectOneLineError(
    await cli.run("client", "create", "--id", "bad", "--name", "Bad", "--redirect-uri", "shop.example/cb"),
    2,
    "--redirect-uri: redirect_uris must only contain valid uris",
  );
  expectOneLineError(
    await cli.run("client", "create", "--id", "bad", "--name", "Bad", "--redirect-uri", "https://shop.example/cb", "--response-type", "token"),
    2,
    "--response-type: response_types can only contain",
  );
  expectOneLineError(
    await cli.run("client", "update", "shop", "--redirect-uri", "https://shop.example/cb#fragment"),
    2,
    /^tessera: --redirect-uri: redirect_uris must not contain fragments$/,
  );
  expect(await clientRow("bad")).toBeNull();
  expect((await clientRow("shop"))?.metadata).toMatchObject({ redirect_uris: ["https://shop.example/cb", "https://shop.example/cb2"] });
}, timeout);

test("--cooloff-hours must be a non-negative whole number: nothing is written otherwise", async () => {
  // Refused while parsing the command line, before the database is opened: safe to run side by side.
  const hours = ["-3", "abc", "1.5"];
  const results = await Promise.all([
    ...hours.map((value) => cli.run("client", "create", "--id", "cool", "--name", "Cool", "--redirect-uri", "https://cool.example/cb", "--cooloff-hours", value)),
    cli.run("client", "update", "shop", "--cooloff-hours", "-3"),
  ]);
  for (const [index, value] of [...hours, "-3"].entries()) {
    expectOneLineError(results[index]!, 2, `option '--cooloff-hours <hours>' argument '${value}' is invalid. Must be a non-negative whole number of hours.`);
  }
  expect(await clientRow("cool")).toBeNull();
  expect((await clientRow("shop"))?.cooloffHours).toBe(24);
}, timeout);

test('--cooloff-hours "" removes the cooloff; show then says 0', async () => {
  await cli.json("client", "create", "--id", "cool", "--name", "Cool", "--redirect-uri", "https://cool.example/cb", "--cooloff-hours", "12");
  expect((await clientRow("cool"))?.cooloffHours).toBe(12);
  expect(await cli.json<ClientJson>("client", "update", "cool", "--cooloff-hours", "")).toMatchObject({ cooloffHours: null });
  expect((await clientRow("cool"))?.cooloffHours).toBeNull();
  expect((await cli.run("client", "show", "cool")).stdout).toMatch(/^cooloff hours:\s+0$/m);
  await cli.json("client", "delete", "cool");
}, timeout);

test("update changes only what it is given; a public client has no secret; delete removes the client", async () => {
  const updated = await cli.json<ClientJson>("client", "update", "shop", "--name", "Shop 2", "--no-first-party", "--cooloff-hours", "0");
  expect(updated).toMatchObject({ name: "Shop 2", firstParty: false, cooloffHours: 0, organisation: "acme", hasSecret: true });
  expect(updated.clientSecret).toBeUndefined();

  const spa = await cli.json<ClientJson>("client", "create", "--id", "spa", "--name", "SPA", "--redirect-uri", "https://spa.example/cb", "--auth-method", "none");
  expect(spa).toMatchObject({ hasSecret: false, organisation: "default" });
  expect(spa.clientSecret).toBeUndefined();
  expectOneLineError(await cli.run("client", "rotate-secret", "spa"), 1, "client spa uses none and has no secret to rotate");

  expect((await cli.json<ClientJson[]>("client", "list")).map((client) => client.id)).toEqual(["shop", "spa"]);
  expect(await cli.json("client", "delete", "spa")).toEqual({ id: "spa", deleted: true });
  expect(await clientRow("spa")).toBeNull();
  expectOneLineError(await cli.run("client", "show", "spa"), 1, "no client has id spa");
}, timeout);

test("a taken id, an unknown organisation and Tessera's own clients are refused", async () => {
  expectOneLineError(await cli.run("client", "create", "--id", "shop", "--name", "Again", "--redirect-uri", "https://x.example/cb"), 1, "--id: a client with id shop already exists");
  expectOneLineError(await cli.run("client", "create", "--id", "x", "--name", "X", "--redirect-uri", "https://x.example/cb", "--org", "nobody"), 1, "--org: no organisation has slug nobody");
  expectOneLineError(await cli.run("client", "delete", "tessera-account"), 1, "client tessera-account is managed by Tessera");
  const [badId, badMethod] = await Promise.all([
    cli.run("client", "create", "--id", "a:b", "--name", "X"),
    cli.run("client", "create", "--id", "x", "--name", "X", "--auth-method", "secret"),
  ]);
  expectOneLineError(badId, 2, "option '--id <id>' argument 'a:b' is invalid");
  expectOneLineError(badMethod, 2, "option '--auth-method <method>' argument 'secret' is invalid");
}, timeout);

interface InitialAccessTokenJson {
  initialAccessToken: string;
  expiresAt: string;
  registrationEndpoint: string;
}

const initialAccessTokenRows = () => cli.withDatabase((db) => db.prisma.oidcModel.findMany({ where: { model: "InitialAccessToken" } }));

/** POST /reg (RFC 7591 §3.1) on the provider the CLI builds, with `token` as bearer when given. */
async function registrationStatus(token?: string): Promise<number> {
  return cli.withProvider(async (origin) => {
    const response = await fetch(`${origin}/reg`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(token && { authorization: `Bearer ${token}` }) },
      body: JSON.stringify({ redirect_uris: ["https://self.example/cb"], client_name: "Self-registered" }),
    });
    return response.status;
  });
}

test("client initial-access-token prints a token once, stored to expire after the days asked; /reg accepts it", async () => {
  const before = Date.now();
  const issued = await cli.json<InitialAccessTokenJson>("client", "initial-access-token", "--expires-in-days", "2");
  expect(issued.initialAccessToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
  expect(issued.registrationEndpoint).toBe("http://localhost:3000/reg");
  const twoDays = 2 * 24 * 3600 * 1000;
  expect(Date.parse(issued.expiresAt)).toBeGreaterThanOrEqual(before + twoDays - 2000);
  expect(Date.parse(issued.expiresAt)).toBeLessThanOrEqual(Date.now() + twoDays + 2000);

  const rows = await initialAccessTokenRows();
  expect(rows).toHaveLength(1);
  // Tessera's registration policy rides on the token: the provider applies it to what it registers.
  // Stored under its hash only (src/oidc/stored-id.ts).
  expect(JSON.stringify(rows)).not.toContain(issued.initialAccessToken);
  expect(rows[0]).toMatchObject({ id: storedIdOf("InitialAccessToken", issued.initialAccessToken), consumedAt: null, payload: { policies: [registrationPolicyName] } });
  expect(Math.abs(rows[0]!.expiresAt!.getTime() - Date.parse(issued.expiresAt))).toBeLessThan(2000);

  const text = await cli.run("client", "initial-access-token");
  expect(text.code).toBe(0);
  const token = /^initial access token:\s+([A-Za-z0-9_-]{43})\s+\(shown once: store it now\)$/m.exec(text.stdout)?.[1];
  expect(token).toBeDefined();
  const sevenDays = (await initialAccessTokenRows()).find((row) => row.id === storedIdOf("InitialAccessToken", token!))!;
  expect(Math.round((sevenDays.expiresAt!.getTime() - Date.now()) / (24 * 3600 * 1000))).toBe(7);

  expect(await registrationStatus(issued.initialAccessToken)).toBe(201);
  expect(await registrationStatus()).toBe(401);
  expect(await registrationStatus("not-a-token")).toBe(401);
}, timeout);

test("--expires-in-days must be a whole number from 1 to 365: nothing is issued otherwise", async () => {
  const before = (await initialAccessTokenRows()).length;
  const days = ["0", "366", "1.5", "abc", "-1"];
  const results = await Promise.all(days.map((value) => cli.run("client", "initial-access-token", "--expires-in-days", value)));
  for (const [index, value] of days.entries()) {
    expectOneLineError(results[index]!, 2, `option '--expires-in-days <days>' argument '${value}' is invalid. Must be a whole number of days from 1 to 365.`);
  }
  expect(await initialAccessTokenRows()).toHaveLength(before);
}, timeout);
