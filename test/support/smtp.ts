/**
 * A real SMTP server inside the test process (smtp-server, no auth, no TLS) that keeps every
 * message it accepts, parsed with postal-mime. `startSmtpServer(port)` can bind a port
 * chosen earlier with `freePort()`, to test a mail server that was down and came back;
 * `refuseRecipient` and `refuseSender` answer RCPT TO or MAIL FROM for some addresses with a
 * reply of the test's choosing (550 for a mailbox that does not exist, 450 for a busy one).
 */
import type net from "node:net";
import PostalMime from "postal-mime";
import { SMTPServer } from "smtp-server";

export { freePort } from "./ports.js";

export interface ReceivedMail {
  /** The recipients' addresses, comma-separated. */
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Every http(s) URL in the text part. */
  links: string[];
  /** The Message-ID header, angle brackets included. */
  messageId: string;
}

export interface TestSmtpServer {
  url: string;
  port: number;
  messages: ReceivedMail[];
  /** The first message, received or yet to come, that matches; rejects after timeoutMs. */
  waitForMail(predicate?: (mail: ReceivedMail) => boolean, timeoutMs?: number): Promise<ReceivedMail>;
  close(): Promise<void>;
}

/** An SMTP reply to RCPT TO: its code and text ("5.1.1 No such user"). */
export interface SmtpReply {
  code: number;
  text: string;
}

type Refusal = (address: string) => SmtpReply | undefined;

function answer(refusal: SmtpReply | undefined): Error | undefined {
  return refusal ? Object.assign(new Error(refusal.text), { responseCode: refusal.code }) : undefined;
}

export async function startSmtpServer(port = 0, options: { refuseRecipient?: Refusal; refuseSender?: Refusal } = {}): Promise<TestSmtpServer> {
  const messages: ReceivedMail[] = [];
  const listeners = new Set<(mail: ReceivedMail) => void>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onMailFrom(address, _session, callback) {
      callback(answer(options.refuseSender?.(address.address)));
    },
    onRcptTo(address, _session, callback) {
      callback(answer(options.refuseRecipient?.(address.address)));
    },
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("error", callback);
      stream.on("end", () => {
        parse(Buffer.concat(chunks)).then((mail) => {
          messages.push(mail);
          for (const listener of listeners) listener(mail);
          callback();
        }, callback);
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const bound = (server.server.address() as net.AddressInfo).port;

  return {
    url: `smtp://127.0.0.1:${bound}`,
    port: bound,
    messages,
    waitForMail(predicate = () => true, timeoutMs = 5000) {
      const already = messages.find(predicate);
      if (already) return Promise.resolve(already);
      return new Promise((resolve, reject) => {
        const listener = (mail: ReceivedMail) => {
          if (!predicate(mail)) return;
          clearTimeout(timer);
          listeners.delete(listener);
          resolve(mail);
        };
        const timer = setTimeout(() => {
          listeners.delete(listener);
          reject(new Error(`No matching mail within ${timeoutMs} ms; received: ${messages.map((mail) => mail.subject).join(" | ") || "nothing"}`));
        }, timeoutMs);
        listeners.add(listener);
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function parse(raw: Buffer): Promise<ReceivedMail> {
  const email = await PostalMime.parse(raw);
  const text = email.text ?? "";
  return {
    to: (email.to ?? []).flatMap((address) => (address.group ? address.group.map((member) => member.address) : [address.address])).join(", "),
    subject: email.subject ?? "",
    text,
    html: email.html ?? "",
    links: text.match(/https?:\/\/[^\s<>"']+/g) ?? [],
    messageId: email.messageId ?? "",
  };
}
