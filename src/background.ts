/**
 * Every kind of background job Tessera runs, with its handler; the domain-event
 * subscribers (each a job kind too); and the schedules that enqueue jobs
 * (src/schedules.ts). Adding background work is a handler in its room plus a line here.
 */
import type { JWK } from "jose";
import {
  createAccountRepository,
  createRegistrationRepository,
  passwordPaths,
  passwordResetRequested,
  passwordResetRequestHandler,
  purgeRegistrations,
  purgeRegistrationsHandler,
  registrationRequested,
  registrationRequestHandler,
  type PasswordResetService,
  type RegistrationService,
} from "./accounts/index.js";
import { closeCustomer, closeCustomerHandler, deleteCustomer, deleteCustomerHandler, expirePlans, expirePlansHandler, planClaims, subscribeBilling, type Billing } from "./billing/index.js";
import type { Config } from "./config.js";
import { purgeConfirmations, purgeConfirmationsHandler } from "./confirmation/index.js";
import type { PrismaClient } from "./db/index.js";
import type { EventLog, JobRunner } from "./jobs/index.js";
import { createMailQueue, createTransport, defaultMailBrand, sendMail, sendMailHandler, type MailBrand } from "./mail/index.js";
import { purgeExpiredArtefacts, purgeExpiredHandler } from "./oidc/index.js";
import { createSetSigner, pushDelivery, pushDeliveryHandler, subscribePush, type PushRepository } from "./push/index.js";
import { schedules } from "./schedules.js";
import { purgeWalletChallenges, purgeWalletChallengesHandler } from "./wallet/index.js";
import { purgeSignInLinks, purgeSignInLinksHandler } from "./signin-links/index.js";
import { purgeThrottleCounters, purgeThrottleCountersHandler, purgeAuditRecords, purgeAuditRecordsHandler, recordAuditTrail, subscribeSecurityNotices } from "./security/index.js";
import { readableOn, type Clock } from "./shared/index.js";

export async function defineBackgroundWork(
  jobs: JobRunner,
  events: EventLog,
  deps: { config: Config; prisma: PrismaClient; clock: Clock; jwks: { keys: JWK[] }; push: PushRepository; billing: Billing },
): Promise<void> {
  const { config, prisma, clock, push, billing } = deps;
  jobs.define(
    sendMail,
    sendMailHandler({
      transport: createTransport(config.mail.transport, { clock }),
      from: config.mail.from,
      messageIdHost: new URL(config.issuer).hostname,
      retryBaseSeconds: config.mail.retryBaseSeconds,
      maxAttempts: config.mail.maxAttempts,
      outbox: config.mail.transport.kind === "outbox",
      brand: mailBrand(config),
    }),
  );
  jobs.define(purgeExpiredArtefacts, purgeExpiredHandler(prisma, clock));
  jobs.define(purgeConfirmations, purgeConfirmationsHandler(prisma, clock));
  jobs.define(purgeWalletChallenges, purgeWalletChallengesHandler(prisma, clock));
  jobs.define(purgeSignInLinks, purgeSignInLinksHandler(prisma, clock));
  jobs.define(purgeRegistrations, purgeRegistrationsHandler(createRegistrationRepository(prisma), clock));
  jobs.define(purgeThrottleCounters, purgeThrottleCountersHandler(prisma, clock));
  jobs.define(purgeAuditRecords, purgeAuditRecordsHandler(prisma, clock, config.audit.retentionDays));
  jobs.define(
    pushDelivery,
    pushDeliveryHandler({
      repo: push,
      sign: await createSetSigner(config.issuer, deps.jwks),
      issuer: config.issuer,
      production: config.env === "production",
      clock,
      claimContributors: [planClaims(billing.service)],
    }),
  );
  jobs.define(expirePlans, expirePlansHandler({ repo: billing.repo, billing: billing.service, events, jobs, clock }));
  jobs.define(deleteCustomer, deleteCustomerHandler(billing.stripe));
  jobs.define(closeCustomer, closeCustomerHandler(billing.stripe));
  subscribeToEvents(jobs, events, { issuer: config.issuer, prisma, clock, push });

  for (const schedule of schedules) jobs.schedule(schedule);
}

/** The accounts room's jobs, whose handlers are its services (built after the runner). */
export function defineAccountWork(jobs: JobRunner, deps: { passwordReset: PasswordResetService; registrations: RegistrationService }): void {
  jobs.define(passwordResetRequested, passwordResetRequestHandler(deps.passwordReset));
  jobs.define(registrationRequested, registrationRequestHandler(deps.registrations));
}

/** The brand as mails show it: colours written inline must read on the mail's white card. */
function mailBrand(config: Config): MailBrand {
  const { brand } = config;
  return {
    name: brand.name,
    color: brand.primaryColor ? readableOn(brand.primaryColor, "#ffffff", "#000000") : defaultMailBrand.color,
    // A logo file is served by Tessera itself (src/http/brand.ts); mails need its absolute URL.
    logoUrl: brand.logo?.kind === "url" ? brand.logo.url : brand.logo && `${config.issuer}/brand/logo`,
    supportUrl: brand.supportUrl,
  };
}

/**
 * The domain-event subscribers. The CLI registers them too, so an event an operator's
 * command records is audited and reaches the same subscribers as one recorded by a request.
 */
export function subscribeToEvents(jobs: JobRunner, events: EventLog, deps: { issuer: string; prisma: PrismaClient; clock: Clock; push: PushRepository }): void {
  const { prisma, clock, push } = deps;
  recordAuditTrail(events);
  subscribePush({ events, jobs, repo: push, clock, prisma });
  subscribeBilling(events, { prisma, jobs });
  subscribeSecurityNotices({ events, prisma, mail: createMailQueue({ jobs }), accounts: createAccountRepository(prisma), forgotPasswordUrl: `${deps.issuer}${passwordPaths.forgot}` });
}
