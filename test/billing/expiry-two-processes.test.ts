/**
 * Two Tessera processes on one PostgreSQL database, both running workers and the expiry
 * sweep at once: a plan past its end ends once — one plan-changed event, one audit record,
 * one deletion of the Stripe customer. (Several processes on one database exist only on
 * PostgreSQL, so this file always uses the PostgreSQL server.)
 */
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { expirePlans } from "../../src/billing/index.js";
import { accountIdOf } from "../support/account-page.js";
import { payAndNotify, startCheckout } from "../support/billing.js";
import { newPerson } from "../support/browser-session.js";
import { movableClock } from "../support/clock.js";
import { freshPostgresDatabase, type TestDatabase } from "../support/database.js";
import { signUp } from "../support/sign-up.js";
import { startTesseraWithFakeStripe, type FakeStripe } from "../support/stripe-fake.js";
import { startTestTessera, type TestTessera } from "../support/tessera.js";

const day = 24 * 3600;
const clock = movableClock();
let database: TestDatabase;
let keysDir: string;
let stripe: FakeStripe;
let first: TestTessera;
let second: TestTessera;

beforeAll(async () => {
  database = await freshPostgresDatabase();
  keysDir = await fs.mkdtemp(path.join(os.tmpdir(), "tessera-expiry-two-"));
  const shared = { target: database.target, keysDir };
  ({ stripe, tessera: first } = await startTesseraWithFakeStripe(clock, { shared }));
  // The demo client stays as the first process seeded it (its callback on the first's URL).
  second = await startTestTessera({ shared: { ...shared, mailbox: first.mailbox }, clock, env: { ...stripe.env(), DEMO_CLIENT: "false" } });
}, 120_000);
afterAll(async () => {
  await second?.close();
  await first?.close();
  await stripe?.close();
  await database?.drop();
  await fs.rm(keysDir, { recursive: true, force: true });
});

test("a plan past its end, swept by both processes at once, ends once", async () => {
  const person = newPerson();
  const { session } = await signUp(first, person);
  const accountId = await accountIdOf(first, person.email);
  await payAndNotify(stripe, await startCheckout(session, stripe));
  expect((await session.request("/account/billing/cancel", { form: {} })).status).toBe(200);
  const customerId = (await first.db.prisma.planSubscription.findUniqueOrThrow({ where: { userId: accountId } })).stripeCustomerId!;
  const eventsBefore = await first.db.prisma.domainEvent.count({ where: { accountId, type: "account.plan-changed" } });

  clock.advance(31 * day);
  // On top of the schedule's tick, four more sweeps are due, and both processes run them
  // together: the sweeps race for the same row.
  const now = clock.now();
  await first.db.prisma.job.createMany({ data: Array.from({ length: 4 }, () => ({ kind: expirePlans.name, payload: {}, maxAttempts: 3, runAt: now, createdAt: now, updatedAt: now })) });
  await Promise.all([first.jobs.runDue(), second.jobs.runDue(), first.jobs.runDue(), second.jobs.runDue()]);
  await Promise.all([first.jobs.whenIdle(), second.jobs.whenIdle()]);
  await Promise.all([first.jobs.whenIdle(), second.jobs.whenIdle()]);

  const row = await first.db.prisma.planSubscription.findUniqueOrThrow({ where: { userId: accountId } });
  expect(row).toMatchObject({ planId: "free", stripeCustomerId: null, stripeSubscriptionId: null, periodEnd: null });
  const events = await first.db.prisma.domainEvent.findMany({ where: { accountId, type: "account.plan-changed" }, orderBy: { occurredAt: "asc" } });
  expect(events).toHaveLength(eventsBefore + 1);
  expect(events.at(-1)!.data).toMatchObject({ plan: "free" });
  const audited = await first.db.prisma.auditRecord.findMany({ where: { accountId, type: "account.plan-changed" } });
  expect(audited.filter((record) => (record.detail as { plan?: string }).plan === "free")).toHaveLength(1);
  expect(stripe.requests.filter((request) => request.method === "DELETE" && request.path === `/v1/customers/${customerId}`)).toHaveLength(1);
  expect(stripe.deletedCustomers).toEqual([customerId]);
  expect(await first.db.prisma.job.count({ where: { state: { not: "dead" }, kind: { in: ["billing.expire-plans", "billing.delete-customer"] } } })).toBe(0);
});
