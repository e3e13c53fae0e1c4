/**
 * GET /dev/outbox: the development outbox as a page, newest first, with each mail's links
 * clickable so sign-up can be finished without a mail server. Mounted only when mail goes
 * to the outbox, never with SMTP: the page shows confirmation links to whoever asks.
 */
import Router from "@koa/router";
import { readOutbox, type OutboxMail } from "./transport.js";

export const outboxPath = "/dev/outbox";

export function outboxRouter(dir: string): Router {
  const router = new Router();
  router.get(outboxPath, async (ctx) => {
    ctx.set("Cache-Control", "no-store");
    const mails = (await readOutbox(dir)).map(toView);
    await ctx.render("layouts/single", { page: "dev/outbox", title: "Development outbox", wide: true, mails, dir });
  });
  return router;
}

function toView(mail: OutboxMail) {
  const time = new Date(mail.createdAt);
  const readable = Number.isNaN(time.getTime()) ? mail.createdAt : `${time.toISOString().slice(0, 19).replace("T", " ")} UTC`;
  return { to: mail.to, subject: mail.subject, text: mail.text, links: mail.links, createdAt: mail.createdAt, time: readable };
}
