/**
 * Loads the interaction behind /interaction/:uid. The provider finds it by its cookie; a
 * uid in the path that does not match that cookie is a tampered or stale link, treated as
 * an expired sign-in. The cookie is SameSite=Lax, so a cross-site form post arrives without
 * it and is refused the same way.
 */
import type Provider from "oidc-provider";
import { errors } from "oidc-provider";
import type { PageContext, PageRouter } from "../http/edge/index.js";

export type InteractionDetails = Awaited<ReturnType<Provider["interactionDetails"]>>;

/** What interaction routes keep on ctx.state: the interaction, once loaded. */
export interface InteractionState {
  interaction?: InteractionDetails;
}
export type InteractionContext = PageContext<InteractionState>;
export type InteractionRouter = PageRouter<InteractionState>;
/** What loading the interaction needs of a request: a page's or a login method's JSON API's. */
export type InteractionRequest = Pick<InteractionContext, "req" | "res" | "params"> & { state: InteractionState };

/** The request's interaction, loaded once per request. */
export async function loadInteraction(provider: Provider, ctx: InteractionRequest): Promise<InteractionDetails> {
  if (ctx.state.interaction) return ctx.state.interaction;
  const details = await provider.interactionDetails(ctx.req, ctx.res);
  if (details.uid !== ctx.params.uid) throw new errors.SessionNotFound("interaction uid does not match its cookie");
  ctx.state.interaction = details;
  return details;
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
