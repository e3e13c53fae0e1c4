/**
 * The `mail.send` job: renders the queued mail and hands it to the transport. Rules:
 * - the job's idempotency key becomes the Message-ID, so a mail sent again after a crash
 *   between sending and recording it is recognisably the same mail (RFC 5322 §3.6.4);
 * - a failed send is retried after retryBaseSeconds · 2^(attempts-1) (with jitter), and
 *   after maxAttempts the job is dead and kept for the operator (`jobs list --state dead`);
 * - variables never reach the log, except the links in outbox mode (development), where
 *   logging them is the point: a newcomer finishes sign-up from the terminal.
 */
import { exponentialDelay, jobType, PermanentJobError, type JobHandler } from "../jobs/index.js";
import { isMailTemplate, renderMail } from "./templates.js";
import { extractLinks, type Transporter } from "./transport.js";

export type MailJobPayload = { to: string; template: string; variables: Record<string, string> };

export const sendMail = jobType<MailJobPayload>("mail.send");

/** Longer than any SMTP attempt can take (see transport.ts timeouts). */
const leaseSeconds = 300;

export function sendMailHandler(deps: {
  transport: Transporter;
  from: string;
  /** Host part of Message-IDs: the issuer's host. */
  messageIdHost: string;
  retryBaseSeconds: number;
  maxAttempts: number;
  /** The transport is the development outbox: log each mail's links. */
  outbox: boolean;
}): JobHandler<MailJobPayload> {
  return {
    maxAttempts: deps.maxAttempts,
    leaseSeconds,
    retryDelaySeconds: exponentialDelay(deps.retryBaseSeconds),
    async run(payload, { idempotencyKey, log }) {
      const variables = readVariables(payload.variables);
      if (!isMailTemplate(payload.template) || !variables) throw new PermanentJobError("mail job has an unknown template or bad variables");
      const mail = await renderMail(payload.template, variables);
      await deps.transport.sendMail({ from: deps.from, to: payload.to, messageId: `<${idempotencyKey}@${deps.messageIdHost}>`, ...mail });
      if (deps.outbox) {
        log.info({ to: payload.to, subject: mail.subject, links: extractLinks(mail.text) }, "mail written to the development outbox");
      } else {
        log.info({ template: payload.template }, "mail sent");
      }
    },
  };
}

function readVariables(value: unknown): Record<string, string> | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  const entries = Object.entries(value);
  return entries.every(([, item]) => typeof item === "string") ? Object.fromEntries(entries) : undefined;
}
