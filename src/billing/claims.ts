/**
 * The `plan` scope: the plan in force (`plan`, a plan id from plans.ts) and, for a paid
 * plan, when its paid period ends (`plan_expires_at`, seconds since the epoch, like `exp`):
 * the renewal date, or the last day once cancelled. A site that asks for the scope is told
 * of changes through the account-update push (`account.plan-changed`).
 */
import type { ClaimContributor } from "../accounts/index.js";
import type { BillingService } from "./service.js";

export const planScope = "plan";
export const planClaimNames = ["plan", "plan_expires_at"] as const;

export function planClaims(billing: Pick<BillingService, "claims">): ClaimContributor {
  return {
    scope: planScope,
    claims: planClaimNames,
    description: "Your plan, and when it renews or ends",
    resolve: async (accountId) => ({ ...(await billing.claims(accountId)) }),
  };
}
