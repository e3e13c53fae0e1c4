/**
 * The consent prompt: what the application asks for, Allow or Deny. Allowing extends the
 * existing grant with exactly what the prompt reports missing (node-oidc-provider's
 * missingOIDCScope / missingOIDCClaims / missingResourceScopes).
 */
import type { Context } from "koa";
import { scopeWords } from "../accounts/index.js";
import type Provider from "oidc-provider";
import { field, type Form } from "./form.js";
import { clientDisplay, finishInteraction, type InteractionDetails } from "./interaction.js";
import { render } from "./render.js";

interface MissingDetails {
  missingOIDCScope?: string[];
  missingOIDCClaims?: string[];
  missingResourceScopes?: Record<string, string[]>;
}

export async function showConsent(
  ctx: Context,
  provider: Provider,
  details: InteractionDetails,
  deps: { resourceServerName(identifier: string): Promise<string | undefined> },
) {
  const missing = details.prompt.details as MissingDetails;
  const scopes = missing.missingOIDCScope ?? [];
  const apis = await Promise.all(
    Object.entries(missing.missingResourceScopes ?? {}).map(async ([identifier, scopes]) => ({
      name: (await deps.resourceServerName(identifier)) ?? identifier,
      scopes,
    })),
  );
  await render(ctx, "interactions/consent", {
    apis,
    title: "Allow access",
    uid: details.uid,
    application: await clientDisplay(provider, details.params.client_id),
    permissions: scopeWords(scopes),
    claims: missing.missingOIDCClaims ?? [],
  });
}

export async function submitConsent(ctx: Context, provider: Provider, details: InteractionDetails, form: Form) {
  if (field(form, "decision") !== "allow") {
    return finishInteraction(provider, ctx, { error: "access_denied", error_description: "The user denied access" });
  }
  const { accountId } = details.session ?? {};
  const clientId = details.params.client_id;
  if (details.prompt.name !== "consent" || !accountId || typeof clientId !== "string") {
    // A replayed or out-of-order post: show the step the interaction is really at.
    ctx.status = 303;
    return ctx.redirect(`/interaction/${details.uid}`);
  }
  const grant = details.grantId ? await provider.Grant.find(details.grantId) : new provider.Grant({ accountId, clientId });
  if (!grant) throw new Error("grant referenced by the interaction is missing");
  const missing = details.prompt.details as MissingDetails;
  if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(" "));
  if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
  for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes ?? {})) {
    grant.addResourceScope(indicator, scopes.join(" "));
  }
  const grantId = await grant.save();
  await finishInteraction(provider, ctx, { consent: { grantId } });
}
