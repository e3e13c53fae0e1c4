/**
 * Sends the mail queue.ts wrote. Rules:
 * - a row is claimed before it is sent (attempts and nextAttemptAt move in one conditional
 *   update), so two Tessera processes never send the same row twice; a claim is a lease,
 *   so a row whose sender died is retried once the lease runs out;
 * - a sent row is deleted: its variables hold confirmation links, which must not linger;
 * - a failed send is retried after retryBaseSeconds · 2^(attempts-1), and after maxAttempts
 *   the row is kept as "failed" for the operator;
 * - one pass at a time per process; kick() during a pass runs one more pass after it;
 * - variables never reach the log, except the links in outbox mode (development), where
 *   logging them is the point: a newcomer finishes sign-up from the terminal.
 */
import type { PrismaClient, OutboundMail } from "../db/index.js";
import type { Clock, Logger } from "../shared/index.js";
import { isMailTemplate, renderMail } from "./templates.js";
import { extractLinks, type Transporter } from "./transport.js";

export interface MailDeliveryDeps {
  prisma: PrismaClient;
  transport: Transporter;
  from: string;
  clock: Clock;
  log: Logger;
  retryBaseSeconds: number;
  maxAttempts: number;
  /** The transport is the development outbox: log each mail's links. */
  outbox?: boolean;
}

export interface MailDelivery {
  /** Sends every mail that is due; resolves to how many were sent. */
  deliverDue(): Promise<number>;
  /** Asks for a pass soon (after a commit that queued mail); errors go to the log. */
  kick(): void;
  /** Polls every pollSeconds; the returned stop waits for a running pass. */
  start(pollSeconds: number): () => Promise<void>;
}

/** Longer than any SMTP attempt can take (see transport.ts timeouts). */
const claimLeaseSeconds = 300;
const batchSize = 20;

export function createMailDelivery(deps: MailDeliveryDeps): MailDelivery {
  const { prisma, clock } = deps;
  let running: Promise<number> | undefined;
  let next: Promise<number> | undefined;
  let stopped = false;

  const later = (seconds: number) => new Date(clock.now().getTime() + seconds * 1000);

  async function claim(row: OutboundMail): Promise<boolean> {
    const { count } = await prisma.outboundMail.updateMany({
      where: { id: row.id, attempts: row.attempts, status: "pending", nextAttemptAt: { lte: clock.now() } },
      data: { attempts: row.attempts + 1, nextAttemptAt: later(claimLeaseSeconds) },
    });
    return count === 1;
  }

  async function send(row: OutboundMail): Promise<void> {
    const variables = readVariables(row.variables);
    if (!isMailTemplate(row.template) || !variables) throw new Error(`Mail row has an unknown template or bad variables`);
    const mail = await renderMail(row.template, variables);
    await deps.transport.sendMail({ from: deps.from, to: row.recipient, ...mail });
    if (deps.outbox) {
      deps.log.info({ to: row.recipient, subject: mail.subject, links: extractLinks(mail.text) }, "mail written to the development outbox");
    } else {
      deps.log.info({ mailId: row.id, template: row.template }, "mail sent");
    }
  }

  async function recordFailure(row: OutboundMail, error: unknown): Promise<void> {
    const attempts = row.attempts + 1;
    const lastError = describeError(error);
    const details = { mailId: row.id, template: row.template, attempts, error: lastError };
    if (attempts >= deps.maxAttempts) {
      await prisma.outboundMail.update({ where: { id: row.id }, data: { status: "failed", lastError } });
      deps.log.error(details, "mail delivery failed for the last time; the mail is kept as failed");
      return;
    }
    const nextAttemptAt = later(deps.retryBaseSeconds * 2 ** (attempts - 1));
    await prisma.outboundMail.update({ where: { id: row.id }, data: { lastError, nextAttemptAt } });
    deps.log.warn({ ...details, nextAttemptAt }, "mail delivery failed; it will be retried");
  }

  async function pass(): Promise<number> {
    let sent = 0;
    for (;;) {
      const due = await prisma.outboundMail.findMany({
        where: { status: "pending", nextAttemptAt: { lte: clock.now() } },
        orderBy: { nextAttemptAt: "asc" },
        take: batchSize,
      });
      for (const row of due) {
        if (!(await claim(row))) continue; // another process has it
        try {
          await send(row);
        } catch (error) {
          await recordFailure(row, error);
          continue;
        }
        await prisma.outboundMail.deleteMany({ where: { id: row.id } });
        sent += 1;
      }
      // Claimed and failed rows are no longer due, so a full batch means more may be waiting.
      if (due.length < batchSize) return sent;
    }
  }

  function deliverDue(): Promise<number> {
    if (!running) {
      running = pass().finally(() => {
        running = undefined;
      });
      return running;
    }
    // Mail queued during a pass may have been missed by it: one more pass, shared by all callers.
    next ??= running
      .catch(() => 0)
      .then(() => {
        next = undefined;
        return deliverDue();
      });
    return next;
  }

  function kick(): void {
    if (stopped) return;
    deliverDue().catch((error: unknown) => deps.log.warn({ error: describeError(error) }, "mail delivery pass failed"));
  }

  function start(pollSeconds: number): () => Promise<void> {
    stopped = false;
    const timer = setInterval(kick, pollSeconds * 1000);
    timer.unref();
    kick();
    return async () => {
      stopped = true;
      clearInterval(timer);
      await (next ?? running)?.catch(() => undefined);
    };
  }

  return { deliverDue, kick, start };
}

function readVariables(value: unknown): Record<string, string> | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  const entries = Object.entries(value);
  return entries.every(([, item]) => typeof item === "string") ? Object.fromEntries(entries) : undefined;
}

/** Kept in the row and the log: code and message only, with any credentials in a URL masked. */
function describeError(error: unknown): string {
  // Duck-typed rather than instanceof: errors from another realm (a vm context) are not
  // instances of this realm's Error.
  if (typeof error !== "object" || error === null || !("message" in error) || typeof error.message !== "string") {
    return "unknown error";
  }
  const code = "code" in error && typeof error.code === "string" ? `${error.code}: ` : "";
  return `${code}${error.message}`.replace(/\/\/[^\s/@]+@/g, "//***@").slice(0, 500);
}
