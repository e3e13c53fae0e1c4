/**
 * Every kind of background job Tessera runs, with its handler, and the schedules that
 * enqueue them (src/schedules.ts). The server and the CLI both define them, so a job
 * either of them enqueues has its retry policy; only the server runs them.
 */
import type { Config } from "./config.js";
import { purgeConfirmations, purgeConfirmationsHandler } from "./confirmation/index.js";
import type { PrismaClient } from "./db/index.js";
import type { JobRunner } from "./jobs/index.js";
import { createTransport, sendMail, sendMailHandler } from "./mail/index.js";
import { purgeExpiredArtefacts, purgeExpiredHandler } from "./oidc/index.js";
import { schedules } from "./schedules.js";
import type { Clock } from "./shared/index.js";

export function defineBackgroundWork(jobs: JobRunner, deps: { config: Config; prisma: PrismaClient; clock: Clock }): void {
  const { config, prisma, clock } = deps;
  jobs.define(
    sendMail,
    sendMailHandler({
      transport: createTransport(config.mail.transport, { clock }),
      from: config.mail.from,
      messageIdHost: new URL(config.issuer).hostname,
      retryBaseSeconds: config.mail.retryBaseSeconds,
      maxAttempts: config.mail.maxAttempts,
      outbox: config.mail.transport.kind === "outbox",
    }),
  );
  jobs.define(purgeExpiredArtefacts, purgeExpiredHandler(prisma, clock));
  jobs.define(purgeConfirmations, purgeConfirmationsHandler(prisma, clock));
  for (const schedule of schedules) jobs.schedule(schedule);
}
