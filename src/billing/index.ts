/** The billing room: plans, Stripe, its webhook, the expiry job, the plan claims and the plan sign-in rule. */
import type { PrismaClient } from "../db/index.js";
import type { EventLog, EventRecorder, JobQueue } from "../jobs/index.js";
import { subscribeAccountDeletion } from "./account-deletion.js";
import type { Clock, Logger } from "../shared/index.js";
import { declarePlans } from "./plans.js";
import { createBillingRepository } from "./repository.js";
import { createBillingService } from "./service.js";
import { createStripe, type Stripe } from "./stripe.js";

export { planClaims, planScope, planClaimNames } from "./claims.js";
export { mountBillingRoutes } from "./http/billing-routes.js";
export { billingPaths } from "./http/paths.js";
export { mountStripeWebhook, stripeWebhookPath } from "./webhook.js";
export { closeCustomer, closeCustomerHandler } from "./account-deletion.js";
export { deleteCustomer, deleteCustomerHandler, expireDuePlans, expirePlans, expirePlansHandler } from "./expiry.js";
export { freePlanId, type Plan, type Plans } from "./plans.js";
export type { BillingService, PlanClaims, PlanView } from "./service.js";
export type { BillingRepository } from "./repository.js";
export { stripeApiVersion } from "./stripe.js";

export interface BillingSettings {
  secretKey: string;
  webhookSecret: string;
  prices: { month?: string; year?: string };
  api?: { protocol: "http" | "https"; host: string; port: number };
}

/** The billing room's parts; `stripe` is undefined (and every plan free) without settings. */
export function createBilling(settings: BillingSettings | undefined, deps: { prisma: PrismaClient; events: EventRecorder; clock: Clock; issuer: string; log: Logger }) {
  const stripe: Stripe | undefined = settings && createStripe(settings);
  const repo = createBillingRepository(deps.prisma);
  const plans = declarePlans(settings?.prices ?? {});
  const service = createBillingService({ repo, plans, stripe, events: deps.events, clock: deps.clock, issuer: deps.issuer, log: deps.log });
  return { stripe, repo, service, plans, webhookSecret: settings?.webhookSecret };
}

export type Billing = ReturnType<typeof createBilling>;

/** Registers billing's domain-event subscribers: a deleted account's Stripe customer is closed. */
export function subscribeBilling(events: EventLog, deps: { prisma: PrismaClient; jobs: JobQueue }): void {
  subscribeAccountDeletion(events, { repo: createBillingRepository(deps.prisma), jobs: deps.jobs });
}
