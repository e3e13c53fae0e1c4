/**
 * A deleted account leaves nothing billing at Stripe. Rules:
 * - `account.deleted` is recorded in the deletion's own transaction, before the account's
 *   rows go (src/accounts/profile.ts); this subscriber runs in that transaction, reads the
 *   account's Stripe references and writes a `billing.close-customer` job there too, so the
 *   clean-up exists if and only if the deletion commits, survives restarts and is retried
 *   with backoff while Stripe fails (the expiry job's customer deletion works the same way);
 * - the job cancels the subscription now, not at the period's end (nobody is left to use
 *   the plan), expires a Checkout session still open (an abandoned payment page must not
 *   start a subscription afterwards) and deletes the customer, which also ends any
 *   subscription whose webhook has not reached us yet;
 * - every step may run again after a lost answer or a crash: a subscription Stripe reports
 *   cancelled is skipped, an object Stripe no longer has counts as done, and the one
 *   creating call (expiring the session, a POST) carries an idempotency key. Cancelling and
 *   deleting are DELETE requests, which Stripe treats as idempotent by definition and on
 *   which it ignores idempotency keys (docs.stripe.com/api/idempotent_requests).
 */
import type { EventLog, JobHandler, JobQueue } from "../jobs/index.js";
import { jobType, steppedDelay } from "../jobs/index.js";
import type { BillingRepository } from "./repository.js";
import { isMissing, type Stripe } from "./stripe.js";

export type CloseCustomerPayload = { customerId: string; subscriptionId: string | null; checkoutSessionId: string | null };

export const closeCustomer = jobType<CloseCustomerPayload>("billing.close-customer");

export function subscribeAccountDeletion(events: EventLog, deps: { repo: Pick<BillingRepository, "find">; jobs: JobQueue }): void {
  events.subscribeInTransaction(["account.deleted"], async (tx, event) => {
    const row = await deps.repo.find(event.accountId, tx);
    if (!row?.stripeCustomerId) return;
    await deps.jobs.enqueue(tx, closeCustomer, { customerId: row.stripeCustomerId, subscriptionId: row.stripeSubscriptionId, checkoutSessionId: row.checkoutSessionId });
  });
}

/** Runs `work`, counting "Stripe no longer has it" as done. */
async function unlessMissing(work: () => Promise<unknown>): Promise<void> {
  try {
    await work();
  } catch (error) {
    if (!isMissing(error)) throw error;
  }
}

export function closeCustomerHandler(stripe: Stripe | undefined): JobHandler<CloseCustomerPayload> {
  return {
    maxAttempts: 10,
    leaseSeconds: 120,
    retryDelaySeconds: steppedDelay([30, 120, 600, 3600, 6 * 3600]),
    async run({ customerId, subscriptionId, checkoutSessionId }, { log, idempotencyKey }) {
      if (!stripe) {
        log.warn("stripe customer of a deleted account not closed: billing is not enabled");
        return;
      }
      if (subscriptionId) {
        await unlessMissing(async () => {
          const subscription = await stripe.subscriptions.retrieve(subscriptionId);
          if (subscription.status !== "canceled") await stripe.subscriptions.cancel(subscriptionId);
        });
      }
      if (checkoutSessionId) {
        await unlessMissing(async () => {
          const session = await stripe.checkout.sessions.retrieve(checkoutSessionId);
          if (session.status === "open") await stripe.checkout.sessions.expire(checkoutSessionId, {}, { idempotencyKey: `tessera-expire-${idempotencyKey}` });
        });
      }
      await unlessMissing(() => stripe.customers.del(customerId));
      log.info("stripe subscription cancelled and customer deleted after the account was deleted");
    },
  };
}
