/** The mail room: queue mail in a transaction (as jobs), send it, render templates. */
export { createMailQueue, type MailQueue, type QueuedMail } from "./queue.js";
export { sendMail, sendMailHandler, type MailJobPayload } from "./send-mail.js";
export { mountOutboxRoutes, outboxPaths } from "./routes.js";
export { defaultMailBrand, mailSubject, mailTemplates, renderMail, type MailBrand, type MailTemplate, type RenderedMail } from "./templates.js";
export { createTransport, extractLinks, readOutbox, type MailTransportConfig, type OutboxMail, type Transporter } from "./transport.js";
