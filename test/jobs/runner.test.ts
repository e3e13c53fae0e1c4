/**
 * The job runner and the event log on the real database (PGlite, or PostgreSQL when
 * DATABASE_URL is set), with a clock the test moves and jitter pinned to its midpoint.
 */
import { pino } from "pino";
import { openDatabase, type Database } from "../../src/db/database.js";
import { applyMigrations } from "../../src/db/migrate.js";
import {
  createEventLog,
  createJobRepository,
  createJobRunner,
  jobType,
  PermanentJobError,
  type JobContext,
  type JobRunner,
} from "../../src/jobs/index.js";
import type { RecordedEvent } from "../../src/shared/events.js";
import { freshDatabase, type TestDatabase } from "../support/database.js";

let database: TestDatabase;
let db: Database;
let now = new Date("2026-12-01T10:00:30Z");
const clock = { now: () => now };
const later = (seconds: number) => {
  now = new Date(now.getTime() + seconds * 1000);
};
const log = pino({ level: "silent" });

beforeAll(async () => {
  database = await freshDatabase();
  db = await openDatabase(database.target);
  await applyMigrations(db.sql);
});
afterAll(async () => {
  await db?.close();
  await database?.drop();
});
beforeEach(async () => {
  await db.prisma.job.deleteMany();
  await db.prisma.jobSchedule.deleteMany();
  await db.prisma.domainEvent.deleteMany();
});

const work = jobType<{ n: number }>("test.work");
const runs: Array<{ n: number; context: JobContext }> = [];
let failUntilAttempt = 0;
let failWith: () => Error = () => new Error("receiver answered 500");

function runner(): JobRunner {
  const jobs = createJobRunner({ repo: createJobRepository(db.prisma), clock, log, listen: db.listen, pollSeconds: 3600, random: () => 0.5 });
  jobs.define(work, {
    maxAttempts: 4,
    leaseSeconds: 60,
    retryDelaySeconds: (attempt) => 10 * 2 ** (attempt - 1),
    async run(payload, context) {
      runs.push({ n: payload.n, context });
      if (context.attempt <= failUntilAttempt) throw failWith();
    },
  });
  return jobs;
}
beforeEach(() => {
  runs.length = 0;
  failUntilAttempt = 0;
  failWith = () => new Error("receiver answered 500");
});

const enqueue = (jobs: JobRunner, n: number) => db.prisma.$transaction((tx) => jobs.enqueue(tx, work, { n }));
const jobRow = (id: string) => db.prisma.job.findUnique({ where: { id } });

test("a job exists only if its transaction commits; a committed one runs once, with its id as idempotency key", async () => {
  const jobs = runner();
  await expect(
    db.prisma.$transaction(async (tx) => {
      await jobs.enqueue(tx, work, { n: 1 });
      throw new Error("the change failed");
    }),
  ).rejects.toThrow("the change failed");
  const id = await enqueue(jobs, 2);

  expect(await jobs.runDue()).toBe(1);
  expect(runs.map((run) => run.n)).toEqual([2]);
  expect(runs[0]?.context).toMatchObject({ idempotencyKey: id, attempt: 1 });
  expect(await db.prisma.job.count()).toBe(0);
  expect(await jobs.runDue()).toBe(0);
});

test("a failing job is retried after growing delays, then kept as dead; retry gives it a fresh start", async () => {
  const jobs = runner();
  failUntilAttempt = 99;
  const id = await enqueue(jobs, 3);
  const delays: number[] = [];
  for (let attempt = 1; attempt <= 3; attempt++) {
    await jobs.runDue();
    const row = await jobRow(id);
    expect(row).toMatchObject({ state: "ready", attempts: attempt, lastError: "receiver answered 500" });
    delays.push((row!.runAt.getTime() - now.getTime()) / 1000);
    later(delays.at(-1)! - 1);
    expect(await jobs.runDue()).toBe(0); // a second early: not due
    later(1);
  }
  expect(delays).toEqual([10, 20, 40]);

  await jobs.runDue();
  expect(await jobRow(id)).toMatchObject({ state: "dead", attempts: 4 });
  later(86_400);
  expect(await jobs.runDue()).toBe(0);

  const repo = createJobRepository(db.prisma);
  expect((await repo.list({ state: "dead", limit: 10 })).map((job) => job.id)).toEqual([id]);
  expect(await repo.retry(id, now)).toBe(true);
  failUntilAttempt = 0;
  expect(await jobs.runDue()).toBe(1);
  expect(await jobRow(id)).toBeNull();
  expect(runs.map((run) => run.context.idempotencyKey)).toEqual([id, id, id, id, id]);
});

test("a PermanentJobError makes the job dead at once", async () => {
  const jobs = runner();
  failUntilAttempt = 99;
  failWith = () => new PermanentJobError("receiver refused: invalid_audience");
  const id = await enqueue(jobs, 4);
  await jobs.runDue();
  expect(await jobRow(id)).toMatchObject({ state: "dead", attempts: 1, lastError: "receiver refused: invalid_audience" });
});

test("a job whose worker died mid-run is taken again once its lease lapses, with the same idempotency key", async () => {
  const jobs = runner();
  const id = await enqueue(jobs, 5);
  // A worker claims it and dies before recording anything.
  const [claimed] = await createJobRepository(db.prisma).claim(now, new Map([[work.name, 60]]), 10);
  expect(claimed?.id).toBe(id);

  later(59);
  expect(await jobs.runDue()).toBe(0); // still leased
  later(1);
  expect(await jobs.runDue()).toBe(1);
  expect(runs[0]?.context).toMatchObject({ idempotencyKey: id, attempt: 2 });
  expect(await jobRow(id)).toBeNull();
});

test("two runners on one database run each job exactly once", async () => {
  const [first, second] = [runner(), runner()];
  for (let n = 0; n < 25; n++) await enqueue(first, n);
  const ran = await Promise.all([first.runDue(), second.runDue(), first.runDue(), second.runDue()]);
  expect(ran.reduce((sum, count) => sum + count, 0)).toBe(25);
  expect(runs.map((run) => run.n).sort((a, b) => a - b)).toEqual(Array.from({ length: 25 }, (_, n) => n));
});

test("whenIdle of a started runner returns once the committed work has run", async () => {
  const jobs = runner();
  await jobs.start();
  try {
    await enqueue(jobs, 6);
    await jobs.whenIdle();
    expect(runs.map((run) => run.n)).toEqual([6]);
  } finally {
    await jobs.stop();
  }
});

test("a schedule's tick fires once across processes; the next tick fires again", async () => {
  const tick = jobType<Record<string, never>>("test.tick");
  let ticks = 0;
  const scheduled = () => {
    const jobs = createJobRunner({ repo: createJobRepository(db.prisma), clock, log, listen: db.listen, pollSeconds: 3600 });
    jobs.define(tick, { maxAttempts: 1, leaseSeconds: 60, retryDelaySeconds: () => 0, run: async () => void ticks++ });
    jobs.schedule({ name: "test-every-minute", cron: "* * * * *", job: tick, description: "test" });
    return jobs;
  };
  const [first, second] = [scheduled(), scheduled()];
  await Promise.all([first.runDue(), second.runDue()]);
  await Promise.all([first.runDue(), second.runDue()]);
  expect(ticks).toBe(1);
  later(60);
  await Promise.all([first.runDue(), second.runDue()]);
  expect(ticks).toBe(2);
  expect(() => first.schedule({ name: "broken", cron: "every minute", job: tick, description: "test" })).toThrow();
});

describe("the event log", () => {
  test("an event is recorded with the change and reaches each subscriber once; a rollback records nothing", async () => {
    const jobs = runner();
    const events = createEventLog({ jobs, clock });
    const audit: RecordedEvent[] = [];
    const push: RecordedEvent[] = [];
    let pushFails = true;
    const policy = { maxAttempts: 3, leaseSeconds: 60, retryDelaySeconds: () => 5 };
    events.subscribe("audit", ["account.name-changed", "account.deleted"], { ...policy, handle: async (event) => void audit.push(event) });
    events.subscribe("push", ["account.name-changed"], {
      ...policy,
      async handle(event) {
        if (pushFails) throw new Error("receiver down");
        push.push(event);
      },
    });

    await expect(
      db.prisma.$transaction(async (tx) => {
        await events.record(tx, { type: "account.name-changed", accountId: "a1", name: "Rolled Back" });
        throw new Error("the rename failed");
      }),
    ).rejects.toThrow("the rename failed");
    await db.prisma.$transaction((tx) => events.record(tx, { type: "account.name-changed", accountId: "a1", name: "Ana" }));
    await db.prisma.$transaction((tx) => events.record(tx, { type: "account.email-added", accountId: "a1", email: "x@example.test" }));

    await jobs.whenIdle();
    expect(audit).toEqual([{ type: "account.name-changed", accountId: "a1", name: "Ana", id: expect.any(String), occurredAt: now.toISOString() }]);
    expect(push).toEqual([]); // failed, waiting for its retry: the audit subscriber was not held back
    expect(await db.prisma.domainEvent.findMany({ select: { type: true, accountId: true, data: true } })).toEqual([
      { type: "account.name-changed", accountId: "a1", data: { name: "Ana" } },
      { type: "account.email-added", accountId: "a1", data: { email: "x@example.test" } },
    ]);

    pushFails = false;
    later(5);
    await jobs.whenIdle();
    expect(push.map((event) => event.id)).toEqual(audit.map((event) => event.id));
  });
});
