/**
 * GET /dev/outbox: the development outbox as a page, newest first, with each mail's links
 * clickable so sign-up can be finished without a mail server. Mounted only when mail goes
 * to the outbox, never with SMTP (which production requires): the page shows confirmation
 * and reset links to whoever asks, so it answers only on the developer's own machine — a
 * request from any other address, or relayed by a proxy, is answered as an unknown path.
 */
import type { IncomingMessage } from "node:http";
import { renderPage, type Edge } from "../http/edge/index.js";
import { readOutbox, type OutboxMail } from "./transport.js";

export const outboxPaths = { outbox: "/dev/outbox" } as const;

/** Headers a forwarding proxy adds: a request carrying one started somewhere else. */
const forwardingHeaders = ["forwarded", "x-forwarded-for", "x-real-ip"];

/**
 * Whether the request was made on this machine: judged by the socket, never by headers a
 * client can write (Koa's ctx.ip believes X-Forwarded-For when TRUST_PROXY is on).
 */
function fromThisMachine(req: IncomingMessage): boolean {
  const address = req.socket.remoteAddress ?? "";
  const loopback = address === "::1" || /^(::ffff:)?127\./.test(address);
  return loopback && forwardingHeaders.every((name) => req.headers[name] === undefined);
}

export function mountOutboxRoutes(edge: Edge, dir: string): void {
  const router = edge.pages("outbox", outboxPaths);
  router.get(outboxPaths.outbox, async (ctx, next) => {
    if (!fromThisMachine(ctx.req)) {
      await next();
      return;
    }
    const mails = (await readOutbox(dir)).map(toView);
    await renderPage(ctx, "dev/outbox", { title: "Development outbox", wide: true, mails, dir });
  });
}

function toView(mail: OutboxMail) {
  const time = new Date(mail.createdAt);
  const readable = Number.isNaN(time.getTime()) ? mail.createdAt : `${time.toISOString().slice(0, 19).replace("T", " ")} UTC`;
  return { to: mail.to, subject: mail.subject, text: mail.text, links: mail.links, createdAt: mail.createdAt, time: readable };
}
