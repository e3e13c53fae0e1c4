export { createEdge, type Edge } from "./edge.js";
export { formSubmission, submittedForm, type FieldErrors, type FormRoute, type RefusedForm, type SubmittedForm } from "./form.js";
export { formLimit, type PageContext, type PageRouter, type PageState, type ViewPaths } from "./pages.js";
export { apiBodyLimit, forClients, jsonBody, type ApiContext, type ApiRouter, type ApiState, type ClientHandler } from "./api.js";
export { ApiError } from "./api-errors.js";
export type { AuthenticatedClient } from "./client-authentication.js";
export { webhookBodyLimit, type WebhookContext, type WebhookRouter, type WebhookState } from "./webhooks.js";
export { pathTo, type Paths } from "./paths.js";
export { renderPage, type Layout } from "./render.js";
