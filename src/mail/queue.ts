/**
 * Queues mail as a `mail.send` job, written with the caller's transaction client: a mail
 * exists if and only if the change that caused it commits — a rolled-back sign-up sends no
 * confirmation, and a committed one cannot lose its mail to a crash or a mail server
 * outage. Template and variables are checked here, where the caller can still fix them,
 * not at delivery time.
 */
import type { Prisma } from "../db/index.js";
import type { JobQueue } from "../jobs/index.js";
import { sendMail } from "./send-mail.js";
import { isMailTemplate, missingVariables, pickVariables, type MailTemplate } from "./templates.js";

export interface QueuedMail {
  to: string;
  template: MailTemplate;
  variables: Record<string, string>;
}

export interface MailQueue {
  /** Writes the mail inside the caller's transaction. */
  enqueue(tx: Prisma.TransactionClient, message: QueuedMail): Promise<void>;
}

export function createMailQueue(deps: { jobs: JobQueue }): MailQueue {
  return {
    async enqueue(tx, message) {
      assertSendable(message);
      // Only what the template uses is stored: these rows hold confirmation links.
      await deps.jobs.enqueue(tx, sendMail, { to: message.to, template: message.template, variables: pickVariables(message.template, message.variables) });
    },
  };
}

function assertSendable(message: QueuedMail): void {
  if (!isMailTemplate(message.template)) throw new TypeError(`Unknown mail template ${String(message.template)}`);
  if (!message.to.includes("@")) throw new TypeError("A mail needs a recipient address");
  const missing = missingVariables(message.template, message.variables);
  if (missing.length > 0) throw new TypeError(`Mail template ${message.template} needs ${missing.join(", ")}`);
}
