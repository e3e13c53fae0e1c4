/**
 * Plans past their end fall back to free, on a schedule (src/schedules.ts):
 * - before giving up on a plan that was meant to renew, ask Stripe: a renewal whose webhook
 *   we missed moves the end date instead of downgrading someone who paid;
 * - clearing is a conditional update (still paid, still past its end), so a second sweep —
 *   the same tick run again, or another process — finds nothing to do;
 * - in the same transaction: the `account.plan-changed` event (sites hear the plan is now
 *   free) and a `billing.delete-customer` job, so the Stripe customer is deleted at least
 *   once, after the commit, with retries; a customer Stripe no longer has counts as deleted.
 */
import type { EventRecorder, JobHandler, JobQueue } from "../jobs/index.js";
import { jobType, scheduledTask, steppedDelay } from "../jobs/index.js";
import type { Clock, Logger } from "../shared/index.js";
import { freePlanId } from "./plans.js";
import type { BillingRepository } from "./repository.js";
import type { BillingService } from "./service.js";
import { isMissing, type Stripe } from "./stripe.js";

export const expirePlans = jobType<Record<string, never>>("billing.expire-plans");
export const deleteCustomer = jobType<{ customerId: string }>("billing.delete-customer");

export interface ExpiryDeps {
  repo: BillingRepository;
  billing: BillingService;
  events: EventRecorder;
  jobs: JobQueue;
  clock: Clock;
}

/** One sweep; answers how many plans it ended. */
export async function expireDuePlans(deps: ExpiryDeps, log: Logger): Promise<number> {
  let ended = 0;
  for (const row of await deps.repo.expiredBefore(deps.clock.now())) {
    if (row.stripeSubscriptionId && !row.cancelAtPeriodEnd && deps.billing.enabled) {
      await deps.billing.applyRetrieved(row.stripeSubscriptionId).catch((error: unknown) => {
        if (!isMissing(error)) throw error;
      });
    }
    const now = deps.clock.now();
    const cleared = await deps.repo.prisma.$transaction(async (tx) => {
      if (!(await deps.repo.clearExpired(tx, row.accountId, now))) return false;
      await deps.events.record(tx, { type: "account.plan-changed", accountId: row.accountId, plan: freePlanId, expiresAt: null });
      if (row.stripeCustomerId) await deps.jobs.enqueue(tx, deleteCustomer, { customerId: row.stripeCustomerId });
      return true;
    });
    if (cleared) {
      ended += 1;
      log.info({ accountId: row.accountId }, "paid plan ended: back to free, stripe customer to be deleted");
    }
  }
  return ended;
}

export function expirePlansHandler(deps: ExpiryDeps): JobHandler<Record<string, never>> {
  return scheduledTask(async ({ log }) => {
    await expireDuePlans(deps, log);
  });
}

export function deleteCustomerHandler(stripe: Stripe | undefined): JobHandler<{ customerId: string }> {
  return {
    maxAttempts: 10,
    leaseSeconds: 60,
    retryDelaySeconds: steppedDelay([30, 120, 600, 3600, 6 * 3600]),
    async run({ customerId }, { log }) {
      if (!stripe) {
        log.warn("stripe customer not deleted: billing is not enabled");
        return;
      }
      try {
        await stripe.customers.del(customerId);
      } catch (error) {
        if (!isMissing(error)) throw error;
      }
      log.info("stripe customer deleted");
    },
  };
}
