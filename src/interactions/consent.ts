/**
 * The consent prompt: what the application asks for, Allow or Deny. Allowing extends the
 * existing grant with exactly what the prompt reports missing (node-oidc-provider's
 * missingOIDCScope / missingOIDCClaims / missingResourceScopes).
 *
 * A new grant's id is derived from the interaction, so Allow sent several times at once
 * (a double click, a replayed post) writes one grant rather than one per post: each post
 * saves the same record with the same content, and whichever finishes the interaction last
 * names that one grant.
 */
import { createHash } from "node:crypto";
import type Provider from "oidc-provider";
import type { ScopeWords } from "../accounts/index.js";
import { submittedForm } from "../http/edge/index.js";
import { finishInteraction, showCurrentStep } from "./finish.js";
import { loadInteraction } from "./interaction.js";
import { interactionPaths } from "./paths.js";
import { renderStep, type SignInStep } from "./step.js";

interface MissingDetails {
  missingOIDCScope?: string[];
  missingOIDCClaims?: string[];
  missingResourceScopes?: Record<string, string[]>;
}

export function consentStep(deps: { provider: Provider; scopeWords: ScopeWords; resourceServerName(identifier: string): Promise<string | undefined> }): SignInStep {
  const { provider } = deps;
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
      await renderStep(ctx, provider, details, "interactions/consent", {
        apis,
        title: "Allow access",
        permissions: deps.scopeWords(missing.missingOIDCScope ?? []),
        claims: missing.missingOIDCClaims ?? [],
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
        const grant = details.grantId ? await provider.Grant.find(details.grantId) : newGrant(provider, details.uid, accountId, clientId);
        if (!grant) throw new Error("grant referenced by the interaction is missing");
        const missing = details.prompt.details as MissingDetails;
        if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(" "));
        if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
        for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes ?? {})) {
          grant.addResourceScope(indicator, scopes.join(" "));
        }
        const grantId = await grant.save();
        await finishInteraction(provider, ctx, { consent: { grantId } });
      });
    },
  };
}

/** The grant an interaction creates, with an id of its own derived from the interaction's uid. */
function newGrant(provider: Provider, interactionUid: string, accountId: string, clientId: string): InstanceType<Provider["Grant"]> {
  const grant = new provider.Grant({ accountId, clientId });
  // Saving keeps an id that is already set (node-oidc-provider BaseModel#save).
  grant.jti = createHash("sha256").update(`grant:${interactionUid}`).digest("base64url");
  return grant;
}
