/**
 * Records, for every successful authorization, that the account signed in to the client
 * (first and last time). The account-update push relies on it to reach only clients the
 * user has actually used.
 */
import type Provider from "oidc-provider";
import type { OrganisationRepository } from "../orgs/index.js";
import type { Clock, Logger } from "../shared/index.js";

export function recordSignIns(provider: Provider, deps: { organisations: OrganisationRepository; clock: Clock; log: Logger }): void {
  provider.on("authorization.success", (ctx) => {
    const accountId = ctx.oidc.session?.accountId;
    const clientId = ctx.oidc.client?.clientId;
    if (!accountId || !clientId) return;
    deps.organisations
      .recordSignIn(accountId, clientId, deps.clock.now())
      .catch((error: unknown) => deps.log.error({ err: error, accountId, clientId }, "sign-in history not recorded"));
  });
}
