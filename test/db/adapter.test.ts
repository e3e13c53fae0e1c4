/**
 * node-oidc-provider's adapter contract, run against the real database (PGlite, or
 * PostgreSQL when DATABASE_URL is set), with a clock the test moves.
 */
import { randomBytes } from "node:crypto";
import { errors, type AdapterPayload } from "oidc-provider";
import { openDatabase, type Database } from "../../src/db/database.js";
import { applyMigrations } from "../../src/db/migrate.js";
import { purgeExpired } from "../../src/oidc/purge-expired.js";
import { createAdapterFactory } from "../../src/oidc/index.js";
import { storedIdOf } from "../../src/oidc/stored-id.js";
import { atRestKeys } from "../../src/oidc/at-rest-key.js";
import { clientSecrets, sealPlainClientSecrets } from "../../src/oidc/client-secrets.js";
import { freshDatabase, type TestDatabase } from "../support/database.js";

let database: TestDatabase;
let db: Database;
let now = new Date("2026-01-01T00:00:00Z");
const clock = { now: () => now };
let adapterFor: ReturnType<typeof createAdapterFactory>;
const keys = atRestKeys([{ kid: "test", key: randomBytes(32) }]);

beforeAll(async () => {
  database = await freshDatabase();
  db = await openDatabase(database.target);
  await applyMigrations(db.sql);
  adapterFor = createAdapterFactory(db.prisma, clock, keys);
});
afterAll(async () => {
  await db?.close();
  await database?.drop();
});

const later = (seconds: number) => {
  now = new Date(now.getTime() + seconds * 1000);
};

test("upsert then find returns the payload until it expires, then nothing", async () => {
  const sessions = adapterFor("Session");
  await sessions.upsert("s1", { accountId: "a1", uid: "u1" } as AdapterPayload, 60);
  expect(await sessions.find("s1")).toEqual({ accountId: "a1", uid: "u1", jti: "s1" });
  expect(await sessions.findByUid("u1")).toMatchObject({ accountId: "a1", uid: "u1" });
  later(61);
  expect(await sessions.find("s1")).toBeUndefined();
  expect(await sessions.findByUid("u1")).toBeUndefined();
});

test("upsert replaces the payload and the expiry", async () => {
  const interactions = adapterFor("Interaction");
  await interactions.upsert("i1", { kind: "Interaction", uid: "x" } as AdapterPayload, 10);
  await interactions.upsert("i1", { kind: "Interaction", uid: "y" } as AdapterPayload, 100);
  later(50);
  expect(await interactions.find("i1")).toEqual({ kind: "Interaction", uid: "y" });
});

test("the same id in two models are two records", async () => {
  await adapterFor("AccessToken").upsert("same", { kind: "AccessToken" } as AdapterPayload, 60);
  await adapterFor("RefreshToken").upsert("same", { kind: "RefreshToken" } as AdapterPayload, 60);
  expect((await adapterFor("AccessToken").find("same"))?.kind).toBe("AccessToken");
  expect((await adapterFor("RefreshToken").find("same"))?.kind).toBe("RefreshToken");
});

test("findByUserCode finds device codes", async () => {
  const devices = adapterFor("DeviceCode");
  await devices.upsert("d1", { userCode: "ABCD-EFGH", grantId: "g-device" } as AdapterPayload, 600);
  expect((await devices.findByUserCode("ABCD-EFGH"))?.grantId).toBe("g-device");
  expect(await devices.findByUserCode("ZZZZ-ZZZZ")).toBeUndefined();
});

test("a code is consumed once; the second consumption is refused and revokes its grant", async () => {
  const codes = adapterFor("AuthorizationCode");
  const tokens = adapterFor("AccessToken");
  await codes.upsert("c1", { grantId: "g1" } as AdapterPayload, 60);
  await tokens.upsert("t1", { grantId: "g1" } as AdapterPayload, 3600);
  await codes.consume("c1");
  const consumed = await codes.find("c1");
  expect(consumed?.consumed).toBe(Math.floor(now.getTime() / 1000));
  await expect(codes.consume("c1")).rejects.toBeInstanceOf(errors.InvalidGrant);
  expect(await tokens.find("t1")).toBeUndefined();
});

test("two concurrent consumptions of one code: exactly one wins", async () => {
  const codes = adapterFor("AuthorizationCode");
  await codes.upsert("c2", { grantId: "g2" } as AdapterPayload, 60);
  const outcomes = await Promise.allSettled([codes.consume("c2"), codes.consume("c2")]);
  expect(outcomes.filter((outcome) => outcome.status === "fulfilled")).toHaveLength(1);
});

test("revokeByGrantId removes every artefact of the grant and nothing else", async () => {
  await adapterFor("AccessToken").upsert("t-g3", { grantId: "g3" } as AdapterPayload, 60);
  await adapterFor("RefreshToken").upsert("r-g3", { grantId: "g3" } as AdapterPayload, 60);
  await adapterFor("AccessToken").upsert("t-g4", { grantId: "g4" } as AdapterPayload, 60);
  await adapterFor("Grant").upsert("g3", { accountId: "a" } as AdapterPayload, 60);
  await adapterFor("AccessToken").revokeByGrantId("g3");
  expect(await adapterFor("Grant").find("g3")).toBeUndefined();
  expect(await adapterFor("AccessToken").find("t-g3")).toBeUndefined();
  expect(await adapterFor("RefreshToken").find("r-g3")).toBeUndefined();
  expect(await adapterFor("AccessToken").find("t-g4")).toBeDefined();
});

test("destroy removes one record", async () => {
  const grants = adapterFor("Grant");
  await grants.upsert("gr1", { accountId: "a" } as AdapterPayload, 60);
  await grants.destroy("gr1");
  expect(await grants.find("gr1")).toBeUndefined();
});

test("the purge job deletes expired rows only", async () => {
  await adapterFor("AccessToken").upsert("short", {} as AdapterPayload, 1);
  await adapterFor("AccessToken").upsert("long", {} as AdapterPayload, 3600);
  later(2);
  const purged = await purgeExpired(db.prisma, clock);
  expect(purged).toBeGreaterThanOrEqual(1);
  expect(await adapterFor("AccessToken").find("long")).toBeDefined();
  const left = await db.prisma.oidcModel.findMany({ where: { id: { in: ["short", "long"].map((id) => storedIdOf("AccessToken", id)) } }, select: { id: true } });
  expect(left.map((row) => row.id)).toEqual([storedIdOf("AccessToken", "long")]);
});

test("a secret id is stored only as its hash; the provider gets it back from what was presented", async () => {
  const tokens = adapterFor("AccessToken");
  await tokens.upsert("plain-token-value", { jti: "plain-token-value", grantId: "g5", accountId: "a" } as AdapterPayload, 60);
  const rows = await db.prisma.oidcModel.findMany({ where: { grantId: "g5" } });
  expect(rows).toHaveLength(1);
  expect(JSON.stringify(rows)).not.toContain("plain-token-value");
  expect(await tokens.find("plain-token-value")).toEqual({ jti: "plain-token-value", grantId: "g5", accountId: "a" });
  // The row's key is no token: presented, it is hashed again and finds nothing.
  expect(await tokens.find(rows[0]!.id)).toBeUndefined();
  expect(await tokens.find(`stored:${rows[0]!.id}.${"A".repeat(43)}`)).toBeUndefined();
});

test("a device code found by its user code is saved and consumed under its hash", async () => {
  const devices = adapterFor("DeviceCode");
  await devices.upsert("device-secret", { userCode: "WXYZ-WXYZ", grantId: "g6" } as AdapterPayload, 600);
  const found = await devices.findByUserCode("WXYZ-WXYZ");
  expect(found?.jti).toMatch(/^stored:[0-9a-f]{64}\.[\w-]{43}$/);
  await devices.upsert(found!.jti!, { ...found!, accountId: "approved" } as AdapterPayload, 600);
  expect(await db.prisma.oidcModel.count({ where: { model: "DeviceCode", grantId: "g6" } })).toBe(1);
  expect(await devices.find("device-secret")).toMatchObject({ jti: "device-secret", accountId: "approved" });
  // The provider notes the reference in the Interaction and finds the code by it again.
  expect(await devices.find(found!.jti!)).toMatchObject({ accountId: "approved" });
  await devices.consume(found!.jti!);
  expect((await devices.find("device-secret"))?.consumed).toBeDefined();
});

test("an interaction keeps no copy of its browser's session id", async () => {
  await adapterFor("Interaction").upsert("i2", { jti: "i2", session: { accountId: "a", uid: "su", cookie: "session-secret" } } as AdapterPayload, 60);
  expect(await adapterFor("Interaction").find("i2")).toEqual({ jti: "i2", session: { accountId: "a", uid: "su" } });
});

test("clients come from their own table with Tessera's policy merged in, never written from metadata", async () => {
  const clients = adapterFor("Client");
  await db.prisma.client.create({ data: { id: "app", metadata: { client_id: "app", redirect_uris: ["https://app/cb"] }, firstParty: true } });
  expect(await clients.find("app")).toMatchObject({ client_id: "app", first_party: true });
  await clients.upsert("dyn", { client_id: "dyn", redirect_uris: ["https://dyn/cb"], first_party: true } as AdapterPayload, 0);
  const row = await db.prisma.client.findUniqueOrThrow({ where: { id: "dyn" } });
  expect(row.firstParty).toBe(false);
  expect(row.metadata).not.toHaveProperty("first_party");
  expect(await clients.find("nobody")).toBeUndefined();
});

test("client secrets are stored sealed and given to the provider in plain; plain ones left from before are sealed", async () => {
  const clients = adapterFor("Client");
  await clients.upsert("sealed-app", { client_id: "sealed-app", client_secret: "the-registered-secret", redirect_uris: ["https://a/cb"] } as AdapterPayload, 0);
  const row = await db.prisma.client.findUniqueOrThrow({ where: { id: "sealed-app" } });
  expect(JSON.stringify(row)).not.toContain("the-registered-secret");
  expect(row.metadata).toMatchObject({ client_secret: expect.stringMatching(/^sealed:v1:test:/) });
  expect(await clients.find("sealed-app")).toMatchObject({ client_secret: "the-registered-secret" });

  // Sealed for one client, the value does not open for another (the client id is bound in).
  await db.prisma.client.create({ data: { id: "copycat", metadata: { client_id: "copycat", client_secret: (row.metadata as { client_secret: string }).client_secret } } });
  await expect(clients.find("copycat")).rejects.toThrow();
  await db.prisma.client.delete({ where: { id: "copycat" } });

  // A secret written in plain text by an older Tessera works, and is sealed at the next start.
  await db.prisma.client.create({ data: { id: "older-app", metadata: { client_id: "older-app", client_secret: "an-older-plain-secret" } } });
  expect(await clients.find("older-app")).toMatchObject({ client_secret: "an-older-plain-secret" });
  expect(await sealPlainClientSecrets(db.prisma, clientSecrets(keys))).toBe(1);
  expect(JSON.stringify(await db.prisma.client.findMany())).not.toContain("an-older-plain-secret");
  expect(await clients.find("older-app")).toMatchObject({ client_secret: "an-older-plain-secret" });
  expect(await sealPlainClientSecrets(db.prisma, clientSecrets(keys))).toBe(0);
});
