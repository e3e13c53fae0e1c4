/** The billing room's tables: each account's plan row and the Stripe events already handled. */
import type { Prisma, PrismaClient } from "../db/index.js";

type Db = PrismaClient | Prisma.TransactionClient;

export interface PlanRow {
  accountId: string;
  planId: string;
  interval: string | null;
  stripeCustomerId: string | null;
  stripeSubscriptionId: string | null;
  status: string | null;
  periodEnd: Date | null;
  cancelAtPeriodEnd: boolean;
  paymentFailedAt: Date | null;
  checkoutSessionId: string | null;
  checkouts: number;
  cycle: number;
}

type Row = Prisma.PlanSubscriptionGetPayload<object>;

const toPlanRow = (row: Row): PlanRow => ({
  accountId: row.userId,
  planId: row.planId,
  interval: row.interval,
  stripeCustomerId: row.stripeCustomerId,
  stripeSubscriptionId: row.stripeSubscriptionId,
  status: row.status,
  periodEnd: row.periodEnd,
  cancelAtPeriodEnd: row.cancelAtPeriodEnd,
  paymentFailedAt: row.paymentFailedAt,
  checkoutSessionId: row.checkoutSessionId,
  checkouts: row.checkouts,
  cycle: row.cycle,
});

/** The paid fields a subscription sets (the rest of the row is Tessera's bookkeeping). */
export interface PaidFields {
  planId: string;
  interval: string;
  stripeSubscriptionId: string;
  status: string;
  periodEnd: Date;
  cancelAtPeriodEnd: boolean;
  stripePaymentMethodId: string | null;
}

export function createBillingRepository(prisma: PrismaClient) {
  return {
    prisma,

    async find(accountId: string, db: Db = prisma): Promise<PlanRow | undefined> {
      const row = await db.planSubscription.findUnique({ where: { userId: accountId } });
      return row ? toPlanRow(row) : undefined;
    },

    async findByCustomer(customerId: string, db: Db = prisma): Promise<PlanRow | undefined> {
      const row = await db.planSubscription.findUnique({ where: { stripeCustomerId: customerId } });
      return row ? toPlanRow(row) : undefined;
    },

    /** The account's row, made (free) the first time it is needed. */
    async ensure(accountId: string): Promise<PlanRow> {
      return toPlanRow(await prisma.planSubscription.upsert({ where: { userId: accountId }, create: { userId: accountId }, update: {} }));
    },

    /** Who the Stripe customer is, for Stripe's receipts. */
    async customerDetails(accountId: string): Promise<{ name: string; email: string | undefined } | undefined> {
      const user = await prisma.user.findUnique({ where: { id: accountId }, select: { name: true, emails: { where: { primary: true }, select: { address: true } } } });
      return user ? { name: user.name, email: user.emails[0]?.address } : undefined;
    },

    /** Stores a customer only where none is stored yet; answers the customer the row ends up with. */
    async setCustomer(accountId: string, customerId: string): Promise<string> {
      await prisma.planSubscription.updateMany({ where: { userId: accountId, stripeCustomerId: null }, data: { stripeCustomerId: customerId } });
      const row = await prisma.planSubscription.findUniqueOrThrow({ where: { userId: accountId } });
      return row.stripeCustomerId ?? customerId;
    },

    async setCheckout(accountId: string, sessionId: string): Promise<void> {
      await prisma.planSubscription.update({ where: { userId: accountId }, data: { checkoutSessionId: sessionId, checkouts: { increment: 1 } } });
    },

    async setPaid(tx: Db, accountId: string, fields: PaidFields): Promise<void> {
      await tx.planSubscription.update({ where: { userId: accountId }, data: fields });
    },

    async setPaymentFailed(tx: Db, accountId: string, at: Date | null): Promise<void> {
      await tx.planSubscription.update({ where: { userId: accountId }, data: { paymentFailedAt: at } });
    },

    /** Paid plans whose period ended at or before `now`. */
    async expiredBefore(now: Date): Promise<PlanRow[]> {
      const rows = await prisma.planSubscription.findMany({ where: { planId: { not: "free" }, periodEnd: { lte: now } }, orderBy: { periodEnd: "asc" }, take: 500 });
      return rows.map(toPlanRow);
    },

    /**
     * Back to free with every Stripe reference cleared — only if the plan is still paid and
     * still past its end, so two sweeps racing for the same row clear it once: the one whose
     * conditional update changed the row answers true.
     */
    async clearExpired(tx: Prisma.TransactionClient, accountId: string, now: Date): Promise<boolean> {
      const { count } = await tx.planSubscription.updateMany({
        where: { userId: accountId, planId: { not: "free" }, periodEnd: { lte: now } },
        data: {
          planId: "free",
          interval: null,
          stripeCustomerId: null,
          stripeSubscriptionId: null,
          stripePaymentMethodId: null,
          status: null,
          periodEnd: null,
          cancelAtPeriodEnd: false,
          paymentFailedAt: null,
          checkoutSessionId: null,
          checkouts: 0,
          cycle: { increment: 1 },
        },
      });
      return count === 1;
    },

    /** Marks a Stripe event handled; false when it already was (a replay or a redelivery). */
    async markEventSeen(tx: Prisma.TransactionClient, id: string, type: string, at: Date): Promise<boolean> {
      const inserted = await tx.$executeRaw`INSERT INTO stripe_event (id, type, received_at) VALUES (${id}, ${type}, ${at}) ON CONFLICT (id) DO NOTHING`;
      return inserted === 1;
    },

    async eventSeen(id: string): Promise<boolean> {
      return (await prisma.stripeEvent.count({ where: { id } })) > 0;
    },
  };
}

export type BillingRepository = ReturnType<typeof createBillingRepository>;
