/**
 * Loads the interaction behind /interaction/:uid. The provider finds it by its cookie; a
 * uid in the path that does not match that cookie is a tampered or stale link, treated as
 * an expired sign-in. The cookie is SameSite=Lax, so a cross-site form post arrives without
 * it and is refused the same way.
 */
import type { Context } from "koa";
import type Provider from "oidc-provider";
import { errors } from "oidc-provider";

export type InteractionDetails = Awaited<ReturnType<Provider["interactionDetails"]>>;

export async function loadInteraction(provider: Provider, ctx: Context): Promise<InteractionDetails> {
  const details = await provider.interactionDetails(ctx.req, ctx.res);
  if (details.uid !== (ctx.params as { uid?: string }).uid) throw new errors.SessionNotFound("interaction uid does not match its cookie");
  return details;
}

/** Ends the interaction with `result` and sends the browser back to the authorization endpoint. */
export async function finishInteraction(
  provider: Provider,
  ctx: Context,
  result: Parameters<Provider["interactionResult"]>[2],
): Promise<void> {
  const returnTo = await provider.interactionResult(ctx.req, ctx.res, result, { mergeWithLastSubmission: false });
  ctx.status = 303;
  ctx.redirect(returnTo);
}

export async function clientDisplay(provider: Provider, clientId: unknown) {
  const client = typeof clientId === "string" ? await provider.Client.find(clientId) : undefined;
  return {
    id: client?.clientId,
    name: client?.clientName ?? client?.clientId ?? "the application",
    policyUri: client?.policyUri,
    tosUri: client?.tosUri,
    logoUri: client?.logoUri,
  };
}
