/**
 * Organisation consent, asked on the consent page: the first sign-in to any site of an
 * organisation that asks for it. It is a reason of the consent prompt (src/oidc/policy.ts),
 * so a client of such an organisation shows one page that records both answers: the
 * organisation's, remembered for all its sites until withdrawn on the account page, and the
 * scopes' for this application. Deny sends the client `access_denied`.
 */
import type Provider from "oidc-provider";
import { tesseraReasons } from "../oidc/index.js";
import type { ConsentService, Organisation, OrganisationRepository } from "../orgs/index.js";
import type { Clock } from "../shared/index.js";
import type { InteractionContext, InteractionDetails } from "./interaction.js";

export interface OrganisationConsentDeps {
  provider: Provider;
  organisations: OrganisationRepository & ConsentService;
  clock: Clock;
}

export function organisationConsent(deps: OrganisationConsentDeps) {
  return {
    /** The organisation whose consent this sign-in waits for, if it waits for one. */
    async pending(details: InteractionDetails): Promise<Organisation | undefined> {
      if (!details.prompt.reasons.includes(tesseraReasons.organisationConsentMissing)) return undefined;
      const clientId = details.params.client_id;
      const client = typeof clientId === "string" ? await deps.provider.Client.find(clientId) : undefined;
      const organisationId = client?.organisation_id as string | undefined;
      const organisation = organisationId ? await deps.organisations.findById(organisationId) : undefined;
      if (!organisation) throw new Error("organisation consent asked for a client without organisation");
      return organisation;
    },

    /** Records the account's consent for the organisation, for all its sites. */
    async grant(ctx: InteractionContext, accountId: string, organisation: Organisation): Promise<void> {
      await deps.organisations.grantConsent(accountId, organisation.id, deps.clock.now());
      ctx.state.log.info({ accountId, organisationId: organisation.id }, "organisation consent granted");
    },
  };
}
