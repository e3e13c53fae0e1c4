/**
 * node-oidc-provider's adapter contract, run against the real database (PGlite, or
 * PostgreSQL when DATABASE_URL is set), with a clock the test moves.
 */
import { errors, type AdapterPayload } from "oidc-provider";
import { openDatabase, type Database } from "../../src/db/database.js";
import { applyMigrations } from "../../src/db/migrate.js";
import { purgeExpired } from "../../src/oidc/purge-expired.js";
import { createAdapterFactory } from "../../src/oidc/index.js";
import { freshDatabase, type TestDatabase } from "../support/database.js";

let database: TestDatabase;
let db: Database;
let now = new Date("2026-01-01T00:00:00Z");
const clock = { now: () => now };
let adapterFor: ReturnType<typeof createAdapterFactory>;

beforeAll(async () => {
  database = await freshDatabase();
  db = await openDatabase(database.target);
  await applyMigrations(db.sql);
  adapterFor = createAdapterFactory(db.prisma, clock);
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
  expect(await sessions.find("s1")).toEqual({ accountId: "a1", uid: "u1" });
  expect(await sessions.findByUid("u1")).toEqual({ accountId: "a1", uid: "u1" });
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
  const left = await db.prisma.oidcModel.findMany({ where: { id: { in: ["short", "long"] } }, select: { id: true } });
  expect(left.map((row) => row.id)).toEqual(["long"]);
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
