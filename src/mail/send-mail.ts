/**
 * The `mail.send` job: renders the queued mail and hands it to the transport. Rules:
 * - the job's idempotency key becomes the Message-ID, so a mail sent again after a crash
 *   between sending and recording it is recognisably the same mail (RFC 5322 §3.6.4);
 * - a failed send is retried after retryBaseSeconds · 2^(attempts-1) (with jitter), and
 *   after maxAttempts the job is dead and kept for the operator (`jobs list --state dead`);
 * - except when the server refuses this very mail for good (a 5xx reply to its recipient or
 *   its content, RFC 5321 §4.2.1): sending it again would be refused again, so the job is
 *   dead at once, with the server's reply. A refusal that is not about this mail (a 5xx to
 *   the login or to MAIL FROM: the operator's settings) keeps retrying, so no mail is lost
 *   while the settings are fixed; so do 4xx replies and connection failures;
 * - variables never reach the log, except the links in outbox mode (development), where
 *   logging them is the point: a newcomer finishes sign-up from the terminal.
 */
import { exponentialDelay, jobType, PermanentJobError, type JobHandler } from "../jobs/index.js";
import { isMailTemplate, renderMail, type MailBrand } from "./templates.js";
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
  brand: MailBrand;
}): JobHandler<MailJobPayload> {
  return {
    maxAttempts: deps.maxAttempts,
    leaseSeconds,
    retryDelaySeconds: exponentialDelay(deps.retryBaseSeconds),
    async run(payload, { idempotencyKey, log }) {
      const variables = readVariables(payload.variables);
      if (!isMailTemplate(payload.template) || !variables) throw new PermanentJobError("mail job has an unknown template or bad variables");
      const mail = await renderMail(payload.template, variables, deps.brand);
      try {
        await deps.transport.sendMail({ from: deps.from, to: payload.to, messageId: `<${idempotencyKey}@${deps.messageIdHost}>`, ...mail });
      } catch (error) {
        throw permanentRefusal(error) ?? error;
      }
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

/** What nodemailer's SMTP errors say about the server's reply. */
interface SmtpReplyError {
  code?: unknown;
  command?: unknown;
  responseCode?: unknown;
  response?: unknown;
}

/** The SMTP commands whose refusal is about this mail: its recipient, its content. */
const commandsAboutTheMail = new Set(["RCPT TO", "DATA"]);

/**
 * A PermanentJobError when the server refused this mail for good: a 5yz reply (RFC 5321
 * §4.2.1: "permanent negative completion"; 503 only means the session was in the wrong
 * state) to a command about this mail. The reply goes into the dead job and the log: it
 * carries the server's reason and, at most, the recipient's address — never a credential.
 */
function permanentRefusal(error: unknown): PermanentJobError | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const { command, responseCode, response } = error as SmtpReplyError;
  if (typeof responseCode !== "number" || responseCode < 500 || responseCode > 599 || responseCode === 503) return undefined;
  if (typeof command !== "string" || !commandsAboutTheMail.has(command)) return undefined;
  const reply = typeof response === "string" ? response.slice(0, 300) : String(responseCode);
  return new PermanentJobError(`the mail server refused this mail for good at ${command}: ${reply}`);
}
