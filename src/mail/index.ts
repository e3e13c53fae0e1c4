/** The mail room: queue mail in a transaction, deliver it with retries, render templates. */
export { createMailDelivery, type MailDelivery, type MailDeliveryDeps } from "./delivery.js";
export { createMailQueue, type MailQueue, type QueuedMail } from "./queue.js";
export { outboxPath, outboxRouter } from "./routes.js";
export { mailSubject, mailTemplates, renderMail, type MailTemplate, type RenderedMail } from "./templates.js";
export { createTransport, extractLinks, readOutbox, type MailTransportConfig, type OutboxMail, type Transporter } from "./transport.js";
