/**
 * Reading the test SMTP server's mailbox as the person it writes to would: mails since a
 * mark, the n-th mail to an address, and the confirmation link in a mail.
 */
import type { ReceivedMail, TestSmtpServer } from "./smtp.js";

interface HasMailbox {
  mailbox: TestSmtpServer;
}

function isTo(mail: ReceivedMail, address: string): boolean {
  return mail.to.toLowerCase().split(/,\s*/).includes(address.toLowerCase());
}

/** A mark in a mailbox: mails that arrive after it can be waited for without matching older ones. */
export function mailMark(tessera: HasMailbox): number {
  return tessera.mailbox.messages.length;
}

export function mailMatches(mail: ReceivedMail, match: { to: string; subject: string | RegExp }): boolean {
  const subjectOk = typeof match.subject === "string" ? mail.subject === match.subject : match.subject.test(mail.subject);
  return isTo(mail, match.to) && subjectOk;
}

/** The first mail received after `mark` that matches (recipient compared case-insensitively). */
export function mailAfter(tessera: HasMailbox, mark: number, match: { to: string; subject: string | RegExp }, timeoutMs = 8000): Promise<ReceivedMail> {
  const { mailbox } = tessera;
  return mailbox.waitForMail((mail) => mailbox.messages.indexOf(mail) >= mark && mailMatches(mail, match), timeoutMs);
}

/** Mails received after `mark` to `to` (case-insensitive). */
export function mailsSince(tessera: HasMailbox, mark: number, to: string): ReceivedMail[] {
  return tessera.mailbox.messages.slice(mark).filter((mail) => isTo(mail, to));
}

/** Every mail received so far for `address`, oldest first. */
export function mailsTo(mailbox: TestSmtpServer, address: string): ReceivedMail[] {
  return mailbox.messages.filter((mail) => isTo(mail, address));
}

/** Waits for the `count`-th mail to `address` (1-based) and returns it. */
export async function nthMailTo(mailbox: TestSmtpServer, address: string, count: number, timeoutMs = 10_000): Promise<ReceivedMail> {
  await mailbox.waitForMail(() => mailsTo(mailbox, address).length >= count, timeoutMs).catch(() => {
    const mails = mailsTo(mailbox, address);
    throw new Error(`expected ${count} mail(s) to ${address}, got ${mails.length}: ${mails.map((mail) => mail.subject).join(" | ")}`);
  });
  return mailsTo(mailbox, address)[count - 1]!;
}

/** The /confirm/ link in a mail; fails the test if there is none. */
export function confirmLinkOf(mail: ReceivedMail): string {
  const link = mail.links.find((candidate) => candidate.includes("/confirm/"));
  if (!link) throw new Error(`no confirmation link in "${mail.subject}":\n${mail.text}`);
  return link;
}

/** The key at the end of a /confirm/<key> link. */
export function keyOf(link: string): string {
  return new URL(link).pathname.split("/").pop()!;
}
