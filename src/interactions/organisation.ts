/**
 * Organisation consent: the first sign-in to any site of an organisation that asks for it.
 * Allow is remembered for the whole organisation (until withdrawn on the account page);
 * Deny sends the client `access_denied`.
 */
import type Provider from "oidc-provider";
import type { ScopeWords } from "../accounts/index.js";
import { submittedForm } from "../http/edge/index.js";
import { tesseraPrompts } from "../oidc/index.js";
import type { ConsentService, OrganisationRepository } from "../orgs/index.js";
import type { Clock } from "../shared/index.js";
import { finishInteraction, showCurrentStep } from "./finish.js";
import { loadInteraction, type InteractionDetails } from "./interaction.js";
import { interactionPaths } from "./paths.js";
import { renderStep, type SignInStep } from "./step.js";

interface Deps {
  provider: Provider;
  organisations: OrganisationRepository & ConsentService;
  clock: Clock;
  scopeWords: ScopeWords;
}

async function organisationOf(details: InteractionDetails, deps: Deps) {
  const clientId = details.params.client_id;
  const client = typeof clientId === "string" ? await deps.provider.Client.find(clientId) : undefined;
  const organisationId = client?.organisation_id as string | undefined;
  const organisation = organisationId ? await deps.organisations.findById(organisationId) : undefined;
  if (!organisation) throw new Error("organisation consent asked for a client without organisation");
  return organisation;
}

export function organisationStep(deps: Deps): SignInStep {
  const { provider } = deps;
  return {
    prompt: tesseraPrompts.organisation,
    async show(ctx, details) {
      const organisation = await organisationOf(details, deps);
      const scope = typeof details.params.scope === "string" ? details.params.scope : "";
      await renderStep(ctx, provider, details, "interactions/organisation", {
        title: `Share your data with ${organisation.name}?`,
        organisation,
        permissions: deps.scopeWords(scope.split(" ").filter(Boolean)),
      });
    },
    mount(router) {
      router.post(interactionPaths.organisation, async (ctx) => {
        const details = await loadInteraction(provider, ctx);
        const accountId = details.session?.accountId;
        if (!accountId || details.prompt.name !== tesseraPrompts.organisation) return showCurrentStep(ctx, details);
        if (submittedForm(ctx).get("decision") !== "allow") {
          return finishInteraction(provider, ctx, { error: "access_denied", error_description: "The user did not allow sharing data with the organisation" });
        }
        const organisation = await organisationOf(details, deps);
        await deps.organisations.grantConsent(accountId, organisation.id, deps.clock.now());
        ctx.state.log.info({ accountId, organisationId: organisation.id }, "organisation consent granted");
        await finishInteraction(provider, ctx, {});
      });
    },
  };
}
