/**
 * The consent prompt: what the application asks for, Allow or Deny. Allowing extends the
 * existing grant with exactly what the prompt reports missing (node-oidc-provider's
 * missingOIDCScope / missingOIDCClaims / missingResourceScopes), and records the
 * organisation's consent where the same page asks for it (organisation.ts).
 *
 * The page says who is signed in, with "Not you?": the sign-in starts again with
 * prompt=login (OIDC Core §3.1.2.1), and signing in there as someone else switches the
 * browser's account (the provider ends the first account's session before resuming).
 *
 * One grant per application and account in a browser session, as node-oidc-provider keeps
 * them (docs/README.md#grant): a new grant's id is derived from the session, the account and
 * the client, and Allow extends the grant of that id where one is saved. So Allow sent
 * several times at once (a double click, a replayed post), or on two tabs that each started
 * a sign-in to the same application, writes one grant rather than one per post: each post
 * saves the same record, and whichever finishes its interaction last names that one grant.
 * (Per session, not per account: signing out ends the session's grants, and must not end the
 * access of the same application in the person's other browsers.)
 *
 * Each Allow is recorded in the audit trail, as an organisation's consent is.
 */
import { createHash } from "node:crypto";
import type Provider from "oidc-provider";
import type { AccountService, ScopeWords } from "../accounts/index.js";
import { submittedForm } from "../http/edge/index.js";
import type { ConnectedApplications } from "../oidc/index.js";
import { finishInteraction, showCurrentStep } from "./finish.js";
import { loadInteraction, type InteractionDetails } from "./interaction.js";
import { organisationConsent, type OrganisationConsentDeps } from "./organisation.js";
import { interactionPaths } from "./paths.js";
import { renderStep, type SignInStep } from "./step.js";

interface MissingDetails {
  missingOIDCScope?: string[];
  missingOIDCClaims?: string[];
  missingResourceScopes?: Record<string, string[]>;
}

interface ConsentDeps extends OrganisationConsentDeps {
  accounts: Pick<AccountService, "findById">;
  applications: Pick<ConnectedApplications, "recordConsent">;
  scopeWords: ScopeWords;
  resourceServerName(identifier: string): Promise<string | undefined>;
}

export function consentStep(deps: ConsentDeps): SignInStep {
  const { provider } = deps;
  const organisations = organisationConsent(deps);
  return {
    prompt: "consent",
    async show(ctx, details) {
      const missing = details.prompt.details as MissingDetails;
      const apis = await Promise.all(
        Object.entries(missing.missingResourceScopes ?? {}).map(async ([identifier, scopes]) => ({
          name: (await deps.resourceServerName(identifier)) ?? identifier,
          scopes,
        })),
      );
      const organisation = await organisations.pending(details);
      // A client that skips the scope consent (first party) still shows what its
      // organisation's sites receive: the scopes it asked for.
      const scopes = missing.missingOIDCScope ?? (organisation ? requestedScopes(details) : []);
      const account = details.session?.accountId ? await deps.accounts.findById(details.session.accountId) : undefined;
      await renderStep(ctx, provider, details, "interactions/consent", {
        apis,
        title: organisation ? `Share your data with ${organisation.name}?` : "Allow access",
        organisation,
        permissions: deps.scopeWords(scopes),
        claims: missing.missingOIDCClaims ?? [],
        signedInAs: account && { name: account.name, email: account.primaryEmail?.address },
      });
    },
    mount(router) {
      router.post(interactionPaths.consent, async (ctx) => {
        const details = await loadInteraction(provider, ctx);
        if (submittedForm(ctx).get("decision") !== "allow") {
          return finishInteraction(provider, ctx, { error: "access_denied", error_description: "The user denied access" });
        }
        const { accountId } = details.session ?? {};
        const clientId = details.params.client_id;
        if (details.prompt.name !== "consent" || !accountId || typeof clientId !== "string") return showCurrentStep(ctx, details);
        const organisation = await organisations.pending(details);
        if (organisation) await organisations.grant(ctx, accountId, organisation);
        const grant = details.grantId ? await provider.Grant.find(details.grantId) : await sessionGrant(provider, details.session?.uid ?? details.uid, accountId, clientId);
        if (!grant) throw new Error("grant referenced by the interaction is missing");
        const missing = details.prompt.details as MissingDetails;
        if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(" "));
        if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
        for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes ?? {})) {
          grant.addResourceScope(indicator, scopes.join(" "));
        }
        const grantId = await grant.save();
        await deps.applications.recordConsent(accountId, clientId, { scopes: missing.missingOIDCScope ?? [], claims: missing.missingOIDCClaims ?? [] });
        await finishInteraction(provider, ctx, { consent: { grantId } });
      });

      router.post(interactionPaths.switchAccount, async (ctx) => {
        const details = await loadInteraction(provider, ctx);
        ctx.status = 303;
        ctx.redirect(withLoginPrompt(details));
      });
    },
  };
}

function requestedScopes(details: InteractionDetails): string[] {
  return typeof details.params.scope === "string" ? details.params.scope.split(" ").filter(Boolean) : [];
}

/**
 * The same authorization request with prompt=login: the login page for it, whoever is
 * signed in (OIDC Core §3.1.2.1). Only string parameters are carried; the request's other
 * prompts stay.
 */
function withLoginPrompt(details: InteractionDetails): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(details.params)) if (typeof value === "string" && name !== "prompt") query.set(name, value);
  const prompts = new Set(typeof details.params.prompt === "string" ? details.params.prompt.split(" ") : []);
  prompts.delete("none");
  prompts.add("login");
  query.set("prompt", [...prompts].join(" "));
  return `/auth?${query}`;
}

/**
 * The session's grant to the client for the account: the one saved under the id derived
 * from the three, or a new one with that id (the grant a second tab's Allow extends).
 */
async function sessionGrant(provider: Provider, sessionUid: string, accountId: string, clientId: string): Promise<InstanceType<Provider["Grant"]>> {
  const id = createHash("sha256").update(`grant\n${sessionUid}\n${accountId}\n${clientId}`).digest("base64url");
  const saved = await provider.Grant.find(id);
  if (saved && saved.accountId === accountId && saved.clientId === clientId) return saved;
  const grant = new provider.Grant({ accountId, clientId });
  // Saving keeps an id that is already set (node-oidc-provider BaseModel#save).
  grant.jti = id;
  return grant;
}
