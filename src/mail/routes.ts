/**
 * GET /dev/outbox: the development outbox as a page, newest first, with each mail's links
 * clickable so sign-up can be finished without a mail server. Mounted only when mail goes
 * to the outbox, never with SMTP: the page shows confirmation links to whoever asks.
 */
import { renderPage, type Edge } from "../http/edge/index.js";
import { readOutbox, type OutboxMail } from "./transport.js";

export const outboxPaths = { outbox: "/dev/outbox" } as const;

export function mountOutboxRoutes(edge: Edge, dir: string): void {
  const router = edge.pages("outbox", outboxPaths);
  router.get(outboxPaths.outbox, async (ctx) => {
    const mails = (await readOutbox(dir)).map(toView);
    await renderPage(ctx, "dev/outbox", { title: "Development outbox", wide: true, mails, dir });
  });
}

function toView(mail: OutboxMail) {
  const time = new Date(mail.createdAt);
  const readable = Number.isNaN(time.getTime()) ? mail.createdAt : `${time.toISOString().slice(0, 19).replace("T", " ")} UTC`;
  return { to: mail.to, subject: mail.subject, text: mail.text, links: mail.links, createdAt: mail.createdAt, time: readable };
}
