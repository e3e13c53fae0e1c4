export { ConfirmationKeyError, TooManyLinksError, type ConfirmationFailure } from "./errors.js";
export { describeValidity, intents, type Intent } from "./intents.js";
export { confirmationPaths } from "./paths.js";
export { mountConfirmationRoutes, type ConfirmationHandler } from "./routes.js";
export { createConfirmationService, type ConfirmationService, type Tx } from "./service.js";
export type { Confirmation, CreatedLink, Payload } from "./types.js";
export { purgeConfirmations, purgeConfirmationsHandler } from "./purge.js";
