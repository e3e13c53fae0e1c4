/**
 * `tessera audit list`: the operator reads the audit trail, newest first, filtered by
 * account (id or address — an address also finds failed sign-ins typed with it), type, start
 * time and count, as text or JSON. Operator commands that change secrets or keys are
 * recorded with the operator as who did it, never with the secret. Old records are purged
 * after AUDIT_RETENTION_DAYS.
 */
import os from "node:os";
import type { Database } from "../../src/db/index.js";
import { createEventLog, createJobRepository, createJobRunner } from "../../src/jobs/index.js";
import { loadOrCreateKeys } from "../../src/oidc/index.js";
import { purgeAuditRecordsHandler, recordAuditTrail } from "../../src/security/index.js";
import { createLogger, runWithRequestContext, systemClock, type DomainEvent, type RequestContext } from "../../src/shared/index.js";
import { cliWorkspace, expectOneLineError, type CliWorkspace } from "../support/cli.js";

interface AuditJson {
  id: string;
  type: string;
  occurredAt: string;
  accountId: string | null;
  clientId: string | null;
  ip: string | null;
  userAgent: string | null;
  operator: string | null;
  detail: Record<string, unknown>;
  description: string;
}

const timeout = 300_000;
const silent = createLogger({ level: "silent", pretty: false });
const browser = { ip: "198.51.100.4", userAgent: "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Safari/605.1.15" };

let cli: CliWorkspace;
beforeAll(async () => {
  cli = await cliWorkspace();
}, timeout);
afterAll(() => cli.close());

/** Records events as Tessera's services do, from a browser's request. */
async function record(db: Database, context: RequestContext, ...events: DomainEvent[]): Promise<void> {
  const log = createEventLog({ jobs: createJobRunner({ repo: createJobRepository(db.prisma), clock: systemClock, log: silent, listen: db.listen, pollSeconds: 3600 }), clock: systemClock });
  recordAuditTrail(log);
  await runWithRequestContext(context, async () => {
    for (const event of events) await db.prisma.$transaction((tx) => log.record(tx, event));
  });
}

test("audit list shows records newest first and filters by account, address, type, time and count", async () => {
  expect(await cli.json("audit", "list")).toEqual([]);
  const [ann, bob] = await cli.withDatabase(async (db) => {
    const ann = await db.prisma.user.create({ data: { name: "Ann", emails: { create: { address: "Ann@Example.com", normalized: "ann@example.com", owned: "ann@example.com", primary: true } } } });
    const bob = await db.prisma.user.create({ data: { name: "Bob" } });
    await record(
      db,
      browser,
      { type: "account.registered", accountId: ann.id, email: "Ann@Example.com" },
      { type: "account.sign-in-failed", accountId: ann.id, identifier: "ann@example.com", method: "password", reason: "wrong-password", clientId: "shop" },
      { type: "account.signed-in", accountId: ann.id, method: "password", clientId: "shop" },
      { type: "account.sign-in-failed", identifier: "ghost@example.com", method: "password", reason: "unknown-account" },
      { type: "account.signed-in", accountId: bob.id, method: "password" },
    );
    return [ann, bob];
  });

  const all = await cli.json<AuditJson[]>("audit", "list");
  expect(all.map((row) => row.type)).toEqual(["account.signed-in", "account.sign-in-failed", "account.signed-in", "account.sign-in-failed", "account.registered"]);
  expect(all[2]).toMatchObject({ accountId: ann.id, clientId: "shop", ip: browser.ip, userAgent: browser.userAgent, operator: null, detail: { method: "password" }, description: "Signed in with your password (for shop)" });

  const byId = await cli.json<AuditJson[]>("audit", "list", "--account", ann.id);
  expect(byId.map((row) => row.type)).toEqual(["account.signed-in", "account.sign-in-failed", "account.registered"]);
  // An address finds the account's records; one nobody owns finds the attempts typed with it.
  expect((await cli.json<AuditJson[]>("audit", "list", "--account", "ANN@example.com")).map((row) => row.id)).toEqual(byId.map((row) => row.id));
  expect(await cli.json<AuditJson[]>("audit", "list", "--account", "ghost@example.com")).toEqual([
    expect.objectContaining({ type: "account.sign-in-failed", accountId: null, detail: { method: "password", reason: "unknown-account", identifier: "ghost@example.com" }, description: "Failed sign-in for ghost@example.com: no such account" }),
  ]);

  expect((await cli.json<AuditJson[]>("audit", "list", "--type", "account.sign-in-failed")).map((row) => row.detail.reason)).toEqual(["unknown-account", "wrong-password"]);
  expect((await cli.json<AuditJson[]>("audit", "list", "--type", "account.registered", "--type", "account.signed-in", "--account", bob.id)).map((row) => row.accountId)).toEqual([bob.id]);
  expect(await cli.json<AuditJson[]>("audit", "list", "--limit", "2")).toEqual(all.slice(0, 2));
  expect(await cli.json<AuditJson[]>("audit", "list", "--since", "1h")).toHaveLength(5);
  expect(await cli.json<AuditJson[]>("audit", "list", "--since", "2999-01-01")).toEqual([]);

  const text = await cli.run("audit", "list", "--account", ann.id, "--limit", "1");
  expect(text.code).toBe(0);
  expect(text.stdout.trimEnd().split("\n")).toEqual([
    expect.stringMatching(/^WHEN\s+TYPE\s+ACCOUNT\s+CLIENT\s+IP\s+BY\s+WHAT$/),
    expect.stringMatching(new RegExp(`^\\d{4}-\\d\\d-\\d\\dT[\\d:]+Z\\s+account\\.signed-in\\s+${ann.id}\\s+shop\\s+198\\.51\\.100\\.4\\s+-\\s+Signed in with your password \\(for shop\\)$`)),
  ]);

  expectOneLineError(await cli.run("audit", "list", "--type", "account.nonsense"), 2, "option '--type <type>' argument 'account.nonsense' is invalid");
  expectOneLineError(await cli.run("audit", "list", "--since", "yesterday"), 2, "--since <when>");
  expectOneLineError(await cli.run("audit", "list", "--limit", "0"), 2, "--limit <n>");
}, timeout);

test("rotating a client secret or the signing keys is recorded with the operator, never the secret", async () => {
  await cli.json("client", "create", "--id", "shop", "--name", "Shop", "--redirect-uri", "https://shop.example/cb");
  const { clientSecret } = await cli.json<{ clientSecret: string }>("client", "rotate-secret", "shop");
  await loadOrCreateKeys(cli.keysDir);
  const { added } = await cli.json<{ added: string[] }>("keys", "rotate");

  const operator = os.userInfo().username;
  expect(await cli.json<AuditJson[]>("audit", "list", "--type", "client.secret-rotated", "--type", "keys.rotated")).toEqual([
    expect.objectContaining({ type: "keys.rotated", accountId: null, clientId: null, ip: null, operator, detail: { added }, description: `Signing keys added: ${added.join(", ")}` }),
    expect.objectContaining({ type: "client.secret-rotated", clientId: "shop", ip: null, operator, detail: {}, description: "Secret of client shop rotated" }),
  ]);
  const text = await cli.run("audit", "list", "--type", "client.secret-rotated");
  expect(text.stdout).toMatch(new RegExp(`\\sshop\\s+-\\s+operator ${operator}\\s+Secret of client shop rotated`));

  const stored = await cli.withDatabase(async (db) => JSON.stringify([await db.prisma.auditRecord.findMany(), await db.prisma.domainEvent.findMany()], (_key, value: unknown) => (typeof value === "bigint" ? String(value) : value)));
  expect(stored).not.toContain(clientSecret);
  const privateParts = (await loadOrCreateKeys(cli.keysDir)).jwks.keys.flatMap((key) => [key.d, key.p, key.q].filter((part): part is string => typeof part === "string"));
  expect(privateParts.length).toBeGreaterThan(0);
  for (const part of privateParts) expect(stored).not.toContain(part);
}, timeout);

test("the daily purge deletes records older than the retention and keeps the rest; jobs schedules lists it", async () => {
  const now = new Date();
  await cli.withDatabase(async (db) => {
    await db.prisma.auditRecord.deleteMany();
    await db.prisma.auditRecord.createMany({
      data: [
        { type: "account.signed-in", accountId: "old", occurredAt: new Date(now.getTime() - 31 * 86_400_000) },
        { type: "account.signed-in", accountId: "recent", occurredAt: new Date(now.getTime() - 29 * 86_400_000) },
      ],
    });
    await purgeAuditRecordsHandler(db.prisma, { now: () => now }, 30).run({}, { idempotencyKey: "test", attempt: 1, log: silent });
    expect((await db.prisma.auditRecord.findMany()).map((row) => row.accountId)).toEqual(["recent"]);
  });
  expect((await cli.run("jobs", "schedules")).stdout).toMatch(/purge-audit-records\s+29 4 \* \* \*/);
}, timeout);
