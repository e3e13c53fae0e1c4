/**
 * Every recurring job Tessera runs, in one place (cron, UTC). Each tick runs once across all
 * Tessera processes sharing the database; `tessera jobs schedules` lists them with their
 * last and next ticks.
 */
import { purgeRegistrations } from "./accounts/index.js";
import { expirePlans } from "./billing/index.js";
import { purgeConfirmations } from "./confirmation/index.js";
import type { Schedule } from "./jobs/index.js";
import { purgeExpiredArtefacts } from "./oidc/index.js";
import { purgeWalletChallenges } from "./wallet/index.js";
import { purgeSignInLinks } from "./signin-links/index.js";
import { purgeThrottleCounters, purgeAuditRecords } from "./security/index.js";

export const schedules: readonly Schedule[] = [
  { name: "purge-expired-artefacts", cron: "17 * * * *", job: purgeExpiredArtefacts, description: "delete expired sessions, codes and tokens" },
  { name: "purge-confirmations", cron: "43 3 * * *", job: purgeConfirmations, description: "delete confirmation links expired over 30 days ago" },
  { name: "purge-registrations", cron: "37 * * * *", job: purgeRegistrations, description: "delete registrations whose link expired unused" },
  { name: "purge-wallet-challenges", cron: "29 * * * *", job: purgeWalletChallenges, description: "delete wallet sign-in challenges expired over a day ago" },
  { name: "purge-sign-in-links", cron: "47 * * * *", job: purgeSignInLinks, description: "delete sign-in links expired over two days ago" },
  { name: "purge-throttle-counters", cron: "*/10 * * * *", job: purgeThrottleCounters, description: "delete throttling counts whose window has ended" },
  { name: "expire-plans", cron: "*/10 * * * *", job: expirePlans, description: "move paid plans past their end to free and delete their Stripe customers" },
  { name: "purge-audit-records", cron: "29 4 * * *", job: purgeAuditRecords, description: "delete audit records older than AUDIT_RETENTION_DAYS" },
];
