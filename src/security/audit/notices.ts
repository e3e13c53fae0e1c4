/**
 * Security notices by mail (ASVS 5.0 6.3.7): when an account's password is set or reset, or
 * its primary email address changes, its owner is told what happened, when and from where,
 * and how to take the account back if it was not them (a reset link to the forgot-password
 * page). A primary email change is told to the old address too: if someone else made the
 * change, the old address is where the real owner still reads mail.
 *
 * A job subscriber to the domain events (at least once, after the commit); the mails are
 * queued through the mail room in one transaction.
 */
import type { PrismaClient } from "../../db/index.js";
import type { EventLog } from "../../jobs/index.js";
import type { MailQueue, QueuedMail } from "../../mail/index.js";
import type { RecordedEvent } from "../../shared/index.js";
import { browserSummary } from "./describe.js";

const noticeTypes = ["account.password-changed", "account.primary-email-changed"] as const;

const moment = new Intl.DateTimeFormat("en-GB", { dateStyle: "long", timeStyle: "short", timeZone: "UTC" });

/** What the notices need to know of an account. */
export interface NoticeAccounts {
  findById(id: string): Promise<{ name: string; primaryEmail: { address: string } | undefined } | undefined>;
}

function origin(event: RecordedEvent): string {
  const context = event.context;
  if (context?.operator) return "an operator's command";
  if (!context?.ip && !context?.userAgent) return "an unknown place";
  return [context.ip && `IP address ${context.ip}`, context.userAgent && browserSummary(context.userAgent)].filter(Boolean).join(", ");
}

export function subscribeSecurityNotices(deps: { events: EventLog; prisma: PrismaClient; mail: MailQueue; accounts: NoticeAccounts; forgotPasswordUrl: string }): void {
  const resetLink = (address: string) => `${deps.forgotPasswordUrl}?${new URLSearchParams({ email: address })}`;
  deps.events.subscribe("security-notices", noticeTypes, {
    maxAttempts: 10,
    leaseSeconds: 60,
    retryDelaySeconds: (attempt) => Math.min(3600, 2 ** attempt),
    async handle(event) {
      const account = await deps.accounts.findById(event.accountId);
      // A deleted account has nobody left to warn; its deletion was its owner's own act.
      if (!account) return;
      const common = { name: account.name, when: `${moment.format(new Date(event.occurredAt))} UTC`, where: origin(event) };
      const mails: QueuedMail[] = [];
      if (event.type === "account.password-changed") {
        const to = account.primaryEmail?.address;
        if (to) {
          mails.push({
            to,
            template: "password-changed",
            variables: { ...common, how: event.via === "reset" ? "reset with a link sent by email" : "changed", resetLink: resetLink(to) },
          });
        }
      } else if (event.previousEmail && event.previousEmail !== event.email) {
        for (const to of [event.previousEmail, event.email]) {
          mails.push({ to, template: "email-changed", variables: { ...common, oldAddress: event.previousEmail, newAddress: event.email, resetLink: resetLink(to) } });
        }
      }
      if (!mails.length) return;
      await deps.prisma.$transaction(async (tx) => {
        for (const mail of mails) await deps.mail.enqueue(tx, mail);
      });
    },
  });
}
