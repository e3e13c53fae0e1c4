/**
 * The mail queue and its delivery on the job runner, against the real database (PGlite, or
 * PostgreSQL when DATABASE_URL is set) and a real SMTP server in the test, with a clock the
 * test moves.
 */
import fs from "node:fs/promises";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import Koa from "koa";
import PostalMime from "postal-mime";
import { pino } from "pino";
import { openDatabase, type Database } from "../../src/db/database.js";
import { applyMigrations } from "../../src/db/migrate.js";
import { createEdge } from "../../src/http/edge/index.js";
import { parseConfig } from "../../src/config.js";
import { loadBrandAssets } from "../../src/http/brand.js";
import { viewRenderer } from "../../src/http/views.js";
import { createJobRepository, createJobRunner, type JobRunner } from "../../src/jobs/index.js";
import { createMailQueue, createTransport, defaultMailBrand, mountOutboxRoutes, readOutbox, sendMail, sendMailHandler, type QueuedMail, type Transporter } from "../../src/mail/index.js";
import { freshDatabase, type TestDatabase } from "../support/database.js";
import { freePort, startSmtpServer, type TestSmtpServer } from "../support/smtp.js";

let database: TestDatabase;
let db: Database;
let smtp: TestSmtpServer;
let now = new Date();
const clock = { now: () => now };
const later = (seconds: number) => {
  now = new Date(now.getTime() + seconds * 1000);
};
let logLines: Array<Record<string, unknown>> = [];
const log = pino({ level: "debug" }, { write: (line: string) => logLines.push(JSON.parse(line) as Record<string, unknown>) });

beforeAll(async () => {
  database = await freshDatabase();
  db = await openDatabase(database.target);
  await applyMigrations(db.sql);
  smtp = await startSmtpServer();
});
afterAll(async () => {
  await smtp?.close();
  await db?.close();
  await database?.drop();
});
beforeEach(async () => {
  await db.prisma.job.deleteMany();
  logLines = [];
});

/** A job runner that sends mail (one per simulated Tessera process), with no jitter. */
function delivery(overrides: { transport?: Transporter; maxAttempts?: number; outbox?: boolean } = {}): JobRunner {
  const runner = createJobRunner({ repo: createJobRepository(db.prisma), clock, log, listen: db.listen, pollSeconds: 3600, random: () => 0.5 });
  runner.define(
    sendMail,
    sendMailHandler({
      transport: overrides.transport ?? createTransport({ kind: "smtp", url: smtp.url }),
      from: "Tessera <no-reply@tessera.test>",
      messageIdHost: "id.example.test",
      retryBaseSeconds: 30,
      maxAttempts: overrides.maxAttempts ?? 3,
      outbox: overrides.outbox ?? false,
      brand: defaultMailBrand,
    }),
  );
  return runner;
}
const queue = { enqueue: (tx: Parameters<ReturnType<typeof createMailQueue>["enqueue"]>[0], message: QueuedMail) => createMailQueue({ jobs: delivery() }).enqueue(tx, message) };

const registration = (to: string, key = "k3y"): QueuedMail => ({
  to,
  template: "registration",
  variables: { name: "Ana", link: `https://id.example.test/confirm/${key}`, expiresIn: "24 hours" },
});

const enqueue = (message: QueuedMail) => db.prisma.$transaction((tx) => queue.enqueue(tx, message));
const rowFor = (to: string) => db.prisma.job.findFirst({ where: { kind: "mail.send", payload: { path: ["to"], equals: to } } });

test("a queued mail is delivered with an HTML and a text part, and its row is deleted", async () => {
  await enqueue(registration("ana@example.test", "first-key"));
  expect(await delivery().runDue()).toBe(1);

  const mail = await smtp.waitForMail((received) => received.to === "ana@example.test");
  expect(mail.subject).toBe("Confirm your email address");
  expect(mail.text).toContain("https://id.example.test/confirm/first-key");
  expect(mail.html).toContain('href="https://id.example.test/confirm/first-key"');
  expect(mail.links).toEqual(["https://id.example.test/confirm/first-key"]);
  expect(await rowFor("ana@example.test")).toBeNull();
  expect(mail.messageId).toMatch(/^<[0-9a-f-]{36}@id\.example\.test>$/);
  // SMTP mode never logs what a mail says: its variables hold confirmation links.
  expect(JSON.stringify(logLines)).not.toContain("first-key");
});

test("a mail queued in a transaction that rolls back is never sent", async () => {
  const failedChange = db.prisma.$transaction(async (tx) => {
    await queue.enqueue(tx, registration("rolled-back@example.test"));
    throw new Error("the change that caused the mail failed");
  });
  await expect(failedChange).rejects.toThrow("the change that caused the mail failed");
  expect(await delivery().runDue()).toBe(0);
  expect(await db.prisma.job.count()).toBe(0);
  expect(smtp.messages.filter((mail) => mail.to === "rolled-back@example.test")).toEqual([]);
});

test("a mail server that is down delays the mail until it is back, then the mail goes out", async () => {
  const port = await freePort();
  const mailer = delivery({ transport: createTransport({ kind: "smtp", url: `smtp://127.0.0.1:${port}` }) });
  await enqueue(registration("later@example.test", "retry-key"));

  expect(await mailer.runDue()).toBe(1);
  const waiting = await rowFor("later@example.test");
  expect(waiting).toMatchObject({ attempts: 1, state: "ready" });
  expect(waiting?.lastError).toMatch(/ECONNREFUSED/);
  expect(waiting?.runAt.getTime()).toBe(now.getTime() + 30_000);
  expect(logLines.some((line) => line.msg === "job failed; it will be retried" && line.kind === "mail.send")).toBe(true);
  expect(JSON.stringify(logLines)).not.toContain("retry-key");

  // Not due yet: nothing is attempted.
  expect(await mailer.runDue()).toBe(0);
  expect((await rowFor("later@example.test"))?.attempts).toBe(1);

  const revived = await startSmtpServer(port);
  try {
    later(31);
    expect(await mailer.runDue()).toBe(1);
    const mail = await revived.waitForMail((received) => received.to === "later@example.test");
    expect(mail.links).toEqual(["https://id.example.test/confirm/retry-key"]);
    expect(await rowFor("later@example.test")).toBeNull();
  } finally {
    await revived.close();
  }
});

test("the retry delay doubles, and after maxAttempts failures the mail is kept as a dead job", async () => {
  const port = await freePort();
  const mailer = delivery({ transport: createTransport({ kind: "smtp", url: `smtp://127.0.0.1:${port}` }), maxAttempts: 3 });
  await enqueue(registration("never@example.test"));

  await mailer.runDue();
  expect((await rowFor("never@example.test"))?.runAt.getTime()).toBe(now.getTime() + 30_000);
  later(30);
  await mailer.runDue();
  expect((await rowFor("never@example.test"))?.runAt.getTime()).toBe(now.getTime() + 60_000);
  later(60);
  await mailer.runDue();

  const failed = await rowFor("never@example.test");
  expect(failed).toMatchObject({ attempts: 3, state: "dead" });
  expect(failed?.lastError).toMatch(/ECONNREFUSED/);
  const gaveUp = logLines.find((line) => line.level === 50);
  expect(gaveUp).toMatchObject({ msg: "job failed for the last time; it is kept as dead", kind: "mail.send", attempt: 3 });

  later(86_400);
  expect(await mailer.runDue()).toBe(0);
  expect((await rowFor("never@example.test"))?.attempts).toBe(3);
});

describe("a mail server that refuses a recipient", () => {
  let strict: TestSmtpServer;
  beforeAll(async () => {
    strict = await startSmtpServer(0, {
      refuseRecipient: (address) =>
        address.startsWith("nobody@") ? { code: 550, text: "5.1.1 No such user here" } : address.startsWith("busy@") ? { code: 450, text: "4.2.1 Mailbox busy, try later" } : undefined,
    });
  });
  afterAll(async () => strict?.close());
  const strictDelivery = () => delivery({ transport: createTransport({ kind: "smtp", url: strict.url }), maxAttempts: 12 });

  test("for good (550): the mail is dead after one attempt, with the server's reply in the job and the log", async () => {
    await enqueue(registration("nobody@example.test", "refused-key"));
    expect(await strictDelivery().runDue()).toBe(1);

    const dead = await rowFor("nobody@example.test");
    expect(dead).toMatchObject({ attempts: 1, state: "dead" });
    expect(dead?.lastError).toContain("550 5.1.1 No such user here");
    const gaveUp = logLines.find((line) => line.msg === "job failed for the last time; it is kept as dead");
    expect(gaveUp).toMatchObject({ kind: "mail.send", attempt: 1, error: expect.stringContaining("550 5.1.1 No such user here") });
    expect(JSON.stringify(logLines)).not.toContain("refused-key");

    later(86_400);
    expect(await strictDelivery().runDue()).toBe(0);
  });

  test("for now (450): the mail is retried with backoff, as for a server that is down", async () => {
    await enqueue(registration("busy@example.test"));
    expect(await strictDelivery().runDue()).toBe(1);

    const waiting = await rowFor("busy@example.test");
    expect(waiting).toMatchObject({ attempts: 1, state: "ready" });
    expect(waiting?.lastError).toContain("450 4.2.1 Mailbox busy");
    expect(waiting?.runAt.getTime()).toBe(now.getTime() + 30_000);
    later(30);
    expect(await strictDelivery().runDue()).toBe(1);
    expect(await rowFor("busy@example.test")).toMatchObject({ attempts: 2, state: "ready" });
  });

  test("a refused sender (550 to MAIL FROM) is the operator's setting, not this mail: it keeps retrying", async () => {
    const senderRefused = await startSmtpServer(0, { refuseSender: () => ({ code: 550, text: "5.7.1 Sender not allowed" }) });
    try {
      await enqueue(registration("kept@example.test"));
      expect(await delivery({ transport: createTransport({ kind: "smtp", url: senderRefused.url }), maxAttempts: 12 }).runDue()).toBe(1);
      const waiting = await rowFor("kept@example.test");
      expect(waiting).toMatchObject({ attempts: 1, state: "ready" });
      expect(waiting?.lastError).toContain("550 5.7.1 Sender not allowed");
    } finally {
      await senderRefused.close();
    }
  });
});

test("two processes delivering at the same time send each mail exactly once", async () => {
  const recipients = Array.from({ length: 6 }, (_, index) => `race-${index}@example.test`);
  for (const to of recipients) await enqueue(registration(to));
  const [first, second] = [delivery(), delivery()];

  const sent = await Promise.all([first.runDue(), second.runDue(), first.runDue(), second.runDue()]);

  expect(sent.reduce((sum, count) => sum + count, 0)).toBe(recipients.length);
  for (const to of recipients) {
    expect(smtp.messages.filter((mail) => mail.to === to)).toHaveLength(1);
  }
  expect(await db.prisma.job.count()).toBe(0);
});

test("a started runner sends a committed mail at once, woken by the commit's NOTIFY (its poll is an hour)", async () => {
  const mailer = delivery();
  await mailer.start();
  try {
    await enqueue(registration("woken@example.test"));
    await smtp.waitForMail((received) => received.to === "woken@example.test");
  } finally {
    await mailer.stop();
  }
  expect(await rowFor("woken@example.test")).toBeNull();
});

test("a mail that is not due is left alone; one that is due goes out", async () => {
  await enqueue(registration("due@example.test"));
  later(-60);
  try {
    expect(await delivery().runDue()).toBe(0);
  } finally {
    later(60);
  }
  expect(await delivery().runDue()).toBe(1);
});

describe("the development outbox", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), "tessera-outbox-"));
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  const outboxDelivery = () => delivery({ transport: createTransport({ kind: "outbox", dir }, { clock }), outbox: true });

  test("each mail is written as .eml plus a .json sidecar; readOutbox lists them newest first", async () => {
    await enqueue(registration("first@example.test", "older"));
    expect(await outboxDelivery().runDue()).toBe(1);
    later(5);
    await enqueue({
      to: "second@example.test",
      template: "password-reset",
      variables: { name: "Bo", link: "https://id.example.test/reset/newer", expiresIn: "1 hour" },
    });
    expect(await outboxDelivery().runDue()).toBe(1);

    const files = (await fs.readdir(dir)).sort();
    expect(files.filter((file) => file.endsWith(".eml"))).toHaveLength(2);
    expect(files.filter((file) => file.endsWith(".json"))).toHaveLength(2);
    expect(files.every((file) => /^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.\d{3}Z-[0-9a-f-]{36}\.(eml|json)$/.test(file))).toBe(true);

    const mails = await readOutbox(dir);
    expect(mails.map((mail) => mail.to)).toEqual(["second@example.test", "first@example.test"]);
    expect(mails[0]).toMatchObject({
      subject: "Reset your Tessera password",
      links: ["https://id.example.test/reset/newer"],
      createdAt: now.toISOString(),
    });
    expect(mails[0]?.text).toContain("your password stays as it is");

    const eml = await fs.readFile(path.join(dir, `${mails[0]?.id}.eml`));
    const parsed = await PostalMime.parse(eml);
    expect(parsed.subject).toBe("Reset your Tessera password");
    expect(parsed.html).toContain('href="https://id.example.test/reset/newer"');
    expect(await db.prisma.job.count()).toBe(0);
  });

  test("each mail's links are logged so sign-up can be finished from the terminal", async () => {
    await enqueue(registration("newcomer@example.test", "from-the-log"));
    await outboxDelivery().runDue();
    expect(logLines.find((line) => line.msg === "mail written to the development outbox")).toMatchObject({
      level: 30,
      to: "newcomer@example.test",
      subject: "Confirm your email address",
      links: ["https://id.example.test/confirm/from-the-log"],
    });
  });

  test("readOutbox of a folder that does not exist yet is empty", async () => {
    expect(await readOutbox(path.join(dir, "not-yet"))).toEqual([]);
  });

  test("GET /dev/outbox lists the mails with clickable links, or says where they will appear", async () => {
    const app = new Koa();
    app.use((await loadBrandAssets(parseConfig({}).brand)).middleware);
    app.use(viewRenderer());
    const edge = createEdge({ issuer: "https://id.example.test" });
    mountOutboxRoutes(edge, dir);
    for (const middleware of edge.middleware()) app.use(middleware);
    const server = app.listen(0, "127.0.0.1");
    await new Promise((resolve) => server.once("listening", resolve));
    const page = async () => {
      const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/dev/outbox`);
      expect(response.status).toBe(200);
      expect(response.headers.get("cache-control")).toBe("no-store");
      return response.text();
    };
    try {
      expect(await page()).toContain("Mails will appear here when Tessera sends them");

      await enqueue(registration("<b>page</b>@example.test", "on-the-page"));
      await outboxDelivery().runDue();
      const html = await page();
      expect(html).toContain("<title>Development outbox · Tessera</title>");
      expect(html).toContain("Confirm your email address");
      expect(html).toContain('<a href="https://id.example.test/confirm/on-the-page">');
      expect(html).not.toContain("<b>page</b>");
      expect(html).not.toContain("Mails will appear here");
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

/** This machine's address on its first non-loopback IPv4 interface, as another host on the network reaches it. */
function externalAddress(): string {
  const address = Object.values(os.networkInterfaces())
    .flat()
    .find((candidate) => candidate && candidate.family === "IPv4" && !candidate.internal)?.address;
  if (!address) throw new Error("this test needs a network interface besides loopback");
  return address;
}

test("GET /dev/outbox answers only on this machine: from another address, or through a proxy, it is an unknown path", async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "tessera-outbox-"));
  const app = new Koa();
  app.use((await loadBrandAssets(parseConfig({}).brand)).middleware);
  app.use(viewRenderer());
  const edge = createEdge({ issuer: "https://id.example.test" });
  mountOutboxRoutes(edge, dir);
  for (const middleware of edge.middleware()) app.use(middleware);
  // Listening on every interface, as HOST=0.0.0.0 (the default) does.
  const server = app.listen(0, "0.0.0.0");
  await new Promise((resolve) => server.once("listening", resolve));
  const port = (server.address() as AddressInfo).port;
  const status = async (host: string, headers: Record<string, string> = {}) => (await fetch(`http://${host}:${port}/dev/outbox`, { headers })).status;
  try {
    expect(await status("127.0.0.1")).toBe(200);
    expect(await status(externalAddress())).toBe(404);
    expect(await status("127.0.0.1", { "x-forwarded-for": "203.0.113.9" })).toBe(404);
    expect(await status("127.0.0.1", { forwarded: "for=203.0.113.9" })).toBe(404);
  } finally {
    await new Promise((resolve) => server.close(resolve));
    await fs.rm(dir, { recursive: true, force: true });
  }
});

test("enqueue refuses a mail that cannot be rendered, in the caller's transaction", async () => {
  const broken = { to: "x@example.test", template: "password-reset", variables: { name: "Ana" } } as const;
  await expect(enqueue(broken)).rejects.toThrow(/password-reset needs link, expiresIn/);
  expect(await db.prisma.job.count()).toBe(0);
});
