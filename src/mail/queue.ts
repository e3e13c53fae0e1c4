/**
 * Puts mail in the OutboundMail table for delivery.ts to send. The row is written with the
 * caller's transaction client, so a mail exists if and only if the change that caused it
 * commits: a rolled-back sign-up sends no confirmation, and a committed one cannot lose its
 * mail to a crash or a mail server outage. Template and variables are checked here, where
 * the caller can still fix them, not at delivery time.
 */
import type { Prisma } from "../db/index.js";
import { systemClock, type Clock } from "../shared/index.js";
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

export function createMailQueue(deps: { clock?: Clock } = {}): MailQueue {
  const clock = deps.clock ?? systemClock;
  const enqueue = async (tx: Prisma.TransactionClient, message: QueuedMail) => {
    assertSendable(message);
    const now = clock.now();
    await tx.outboundMail.create({
      data: {
        recipient: message.to,
        template: message.template,
        // Only what the template uses is stored: these rows hold confirmation links.
        variables: pickVariables(message.template, message.variables),
        nextAttemptAt: now,
        createdAt: now,
      },
    });
  };
  return { enqueue };
}

function assertSendable(message: QueuedMail): void {
  if (!isMailTemplate(message.template)) throw new TypeError(`Unknown mail template ${String(message.template)}`);
  if (!message.to.includes("@")) throw new TypeError("A mail needs a recipient address");
  const missing = missingVariables(message.template, message.variables);
  if (missing.length > 0) throw new TypeError(`Mail template ${message.template} needs ${missing.join(", ")}`);
}
