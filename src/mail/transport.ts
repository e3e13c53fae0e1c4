/**
 * The nodemailer transport for `config.mail.transport`: SMTP from the URL, or the
 * development outbox, where each message is kept as `<time>-<id>.eml` (the raw message,
 * openable in any mail client) plus a `.json` sidecar that /dev/outbox and the log read.
 * The outbox writes the .eml first and the sidecar last, so a listed mail is complete.
 */
import { randomUUID } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import nodemailer, { type Transport, type Transporter } from "nodemailer";
import StreamTransport, { type StreamSentMessageInfo } from "nodemailer/lib/stream-transport";
import type { Config } from "../config.js";
import { systemClock, type Clock } from "../shared/index.js";

export type MailTransportConfig = Config["mail"]["transport"];
export type { Transporter };

/** What the outbox keeps next to each .eml, and what readOutbox returns (plus `id`). */
export interface OutboxMail {
  id: string;
  to: string;
  subject: string;
  text: string;
  links: string[];
  createdAt: string;
}

// Well below the delivery lease, so a hung server fails the attempt instead of the lease
// running out while the send is still in flight.
const smtpTimeouts = { connectionTimeout: 15_000, greetingTimeout: 15_000, socketTimeout: 60_000 };

export function createTransport(transport: MailTransportConfig, deps: { clock?: Clock } = {}): Transporter {
  if (transport.kind === "smtp") {
    return nodemailer.createTransport({ url: transport.url, ...smtpTimeouts });
  }
  return nodemailer.createTransport(outboxTransport(transport.dir, deps.clock ?? systemClock));
}

function outboxTransport(dir: string, clock: Clock): Transport<StreamSentMessageInfo> {
  const stream = new StreamTransport({ streamTransport: true, buffer: true });
  return {
    name: "TesseraOutbox",
    version: "1",
    send(mail, callback) {
      stream.send(mail, (error, info) => {
        if (error || !info) return callback(error ?? new Error("The outbox produced no message"));
        const text = typeof mail.data.text === "string" ? mail.data.text : "";
        writeToOutbox(dir, info, { subject: mail.data.subject ?? "", text }, clock.now()).then(
          () => callback(null, info),
          (writeError: Error) => callback(writeError),
        );
      });
    },
  };
}

async function writeToOutbox(
  dir: string,
  info: StreamSentMessageInfo,
  content: { subject: string; text: string },
  at: Date,
): Promise<void> {
  if (!Buffer.isBuffer(info.message)) throw new Error("The outbox expected a buffered message");
  await fs.mkdir(dir, { recursive: true });
  // ':' is not allowed in Windows file names; the name still sorts by time.
  const id = `${at.toISOString().replaceAll(":", "-")}-${randomUUID()}`;
  const sidecar = {
    to: info.envelope.to.join(", "),
    subject: content.subject,
    text: content.text,
    links: extractLinks(content.text),
    createdAt: at.toISOString(),
  };
  await fs.writeFile(path.join(dir, `${id}.eml`), info.message);
  // Written aside and renamed, so a reader never sees half a sidecar.
  await fs.writeFile(path.join(dir, `${id}.json.partial`), `${JSON.stringify(sidecar, null, 2)}\n`);
  await fs.rename(path.join(dir, `${id}.json.partial`), path.join(dir, `${id}.json`));
}

/** The outbox's mails, newest first; none when the folder does not exist yet. */
export async function readOutbox(dir: string): Promise<OutboxMail[]> {
  const names = await fs.readdir(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return [];
    throw error;
  });
  const sidecars = names.filter((name) => name.endsWith(".json")).sort().reverse();
  const mails = await Promise.all(sidecars.map((name) => readSidecar(dir, name)));
  return mails.filter((mail): mail is OutboxMail => mail !== undefined);
}

async function readSidecar(dir: string, name: string): Promise<OutboxMail | undefined> {
  const parsed: unknown = JSON.parse(await fs.readFile(path.join(dir, name), "utf8"));
  if (typeof parsed !== "object" || parsed === null) return undefined;
  const field = (key: string) => {
    const value: unknown = (parsed as Record<string, unknown>)[key];
    return typeof value === "string" ? value : "";
  };
  const links: unknown = (parsed as Record<string, unknown>).links;
  return {
    id: name.slice(0, -".json".length),
    to: field("to"),
    subject: field("subject"),
    text: field("text"),
    links: Array.isArray(links) ? links.filter((link): link is string => typeof link === "string") : [],
    createdAt: field("createdAt"),
  };
}

/** Every http(s) URL in a text, in order, once each; trailing sentence punctuation is not part of it. */
export function extractLinks(text: string): string[] {
  const found = text.match(/https?:\/\/[^\s<>"'`]+/g) ?? [];
  return [...new Set(found.map((link) => link.replace(/[.,;:!?)\]]+$/, "")))];
}
