/**
 * Organisation consent: the first sign-in to any site of an organisation that asks for it.
 * Allow is remembered for the whole organisation (until withdrawn on the account page);
 * Deny sends the client `access_denied`.
 */
import type { Context } from "koa";
import { scopeWords } from "../accounts/index.js";
import type Provider from "oidc-provider";
import type { ConsentService, OrganisationRepository } from "../orgs/index.js";
import type { Clock } from "../shared/index.js";
import { field, type Form } from "./form.js";
import { clientDisplay, finishInteraction, type InteractionDetails } from "./interaction.js";
import { render } from "./render.js";

interface Deps {
  organisations: OrganisationRepository & ConsentService;
  clock: Clock;
}

async function organisationOf(provider: Provider, details: InteractionDetails, deps: Deps) {
  const clientId = details.params.client_id;
  const client = typeof clientId === "string" ? await provider.Client.find(clientId) : undefined;
  const organisationId = client?.organisation_id as string | undefined;
  return organisationId ? deps.organisations.findById(organisationId) : undefined;
}

export async function showOrganisationConsent(ctx: Context, provider: Provider, details: InteractionDetails, deps: Deps) {
  const organisation = await organisationOf(provider, details, deps);
  if (!organisation) throw new Error("organisation consent asked for a client without organisation");
  const scope = typeof details.params.scope === "string" ? details.params.scope : "";
  await render(ctx, "interactions/organisation", {
    title: `Share your data with ${organisation.name}?`,
    uid: details.uid,
    application: await clientDisplay(provider, details.params.client_id),
    organisation,
    permissions: scopeWords(scope.split(" ").filter(Boolean)),
  });
}

export async function submitOrganisationConsent(ctx: Context, provider: Provider, details: InteractionDetails, deps: Deps, form: Form) {
  const accountId = details.session?.accountId;
  if (!accountId || details.prompt.name !== "organisation") {
    // A replayed or out-of-order post: show the step the interaction is really at.
    ctx.status = 303;
    return ctx.redirect(`/interaction/${details.uid}`);
  }
  if (field(form, "decision") !== "allow") {
    return finishInteraction(provider, ctx, { error: "access_denied", error_description: "The user did not allow sharing data with the organisation" });
  }
  const organisation = await organisationOf(provider, details, deps);
  if (!organisation) throw new Error("organisation consent asked for a client without organisation");
  await deps.organisations.grantConsent(accountId, organisation.id, deps.clock.now());
  ctx.state.log.info({ accountId, organisationId: organisation.id }, "organisation consent granted");
  await finishInteraction(provider, ctx, {});
}
