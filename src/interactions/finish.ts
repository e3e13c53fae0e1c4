/**
 * How a sign-in page ends: the interaction's result goes to the provider and the browser
 * back to the authorization endpoint (node-oidc-provider's interactionResult), which runs
 * the policy's next check. Every login method ends with `finishLogin`.
 */
import type Provider from "oidc-provider";
import { pathTo } from "../http/edge/index.js";
import type { InteractionContext, InteractionDetails, InteractionRequest } from "./interaction.js";
import { interactionPaths } from "./paths.js";

export type InteractionResult = Parameters<Provider["interactionResult"]>[2];

/**
 * The result is merged with what the sign-in's earlier steps submitted (the provider's
 * default): a step after the login (consent, terms…) must still tell the provider that the
 * login happened during this authorization, or a request with prompt=login or max_age asks
 * for the login again after every step, and a second person signing in in the same
 * browser never gets through.
 */
export async function finishInteraction(provider: Provider, ctx: InteractionContext, result: InteractionResult): Promise<void> {
  const returnTo = await provider.interactionResult(ctx.req, ctx.res, result, { mergeWithLastSubmission: true });
  ctx.status = 303;
  ctx.redirect(returnTo);
}

/** The one way a login method finishes: the interaction ends with a login for the account. */
export function finishLogin(provider: Provider, ctx: InteractionContext, accountId: string): Promise<void> {
  return finishInteraction(provider, ctx, { login: { accountId } });
}

/**
 * finishLogin for a JSON API: the same result, but the caller gets the URL where the browser
 * continues (the provider's resume endpoint for this interaction, never one the caller chose).
 */
export function loginResult(provider: Provider, ctx: InteractionRequest, accountId: string): Promise<string> {
  return provider.interactionResult(ctx.req, ctx.res, { login: { accountId } }, { mergeWithLastSubmission: false });
}

/** A replayed or out-of-order post: show the step the interaction is really at. */
export function showCurrentStep(ctx: InteractionContext, details: InteractionDetails): void {
  ctx.status = 303;
  ctx.redirect(pathTo(interactionPaths.interaction, { uid: details.uid }));
}
