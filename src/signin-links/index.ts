/** Trusted-client sign-in links: the API a client's backend calls, the pages the link opens, the flow the login step finishes. */
export { mountSignInLinkApi } from "./api-routes.js";
export { mountSignInLinkPages, signInLinkConfirmationHandler, type LinkClients } from "./page-routes.js";
export { createSignInLinkRepository } from "./repository.js";
export { createSignInLinkService, flowCookieName, type SignInLinkService } from "./service.js";
export { linkTokens } from "./token.js";
export { checkTarget } from "./targets.js";
export { signInLinkApiPath, signInLinkPaths } from "./paths.js";
export { purgeSignInLinks, purgeSignInLinksHandler } from "./purge.js";
