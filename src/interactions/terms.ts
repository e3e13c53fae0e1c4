/**
 * "Confirm your details": the current terms of service, not yet accepted by this user.
 * The name is editable here because it is what the application is about to receive.
 */
import type { Context } from "koa";
import type Provider from "oidc-provider";
import { errors } from "oidc-provider";
import type { AccountService, TermsService } from "../accounts/index.js";
import { FormError } from "../shared/index.js";
import { field, type Form } from "./form.js";
import { clientDisplay, finishInteraction, type InteractionDetails } from "./interaction.js";
import { render } from "./render.js";

interface Deps {
  accounts: AccountService;
  terms: TermsService;
}

export async function showTerms(
  ctx: Context,
  provider: Provider,
  details: InteractionDetails,
  deps: Deps,
  input: { name?: string; errors?: Record<string, string> } = {},
) {
  const account = details.session?.accountId ? await deps.accounts.findById(details.session.accountId) : undefined;
  if (!account) throw new errors.SessionNotFound("the account of this sign-in is gone");
  const terms = await deps.terms.pendingFor(account.id);
  if (!terms) return finishInteraction(provider, ctx, {});
  await render(ctx, "interactions/terms", {
    title: "Confirm your details",
    uid: details.uid,
    application: await clientDisplay(provider, details.params.client_id),
    terms,
    name: input.name ?? account.name,
    email: account.primaryEmail?.address,
    errors: input.errors ?? {},
    hasErrors: Boolean(input.errors && Object.keys(input.errors).length),
  });
}

export async function submitTerms(ctx: Context, provider: Provider, details: InteractionDetails, deps: Deps, form: Form) {
  const accountId = details.session?.accountId;
  if (!accountId || details.prompt.name !== "terms") {
    ctx.status = 303;
    return ctx.redirect(`/interaction/${details.uid}`);
  }
  const name = field(form, "name");
  try {
    await deps.terms.accept(accountId, { version: field(form, "version"), accepted: field(form, "accept") === "yes", name });
    ctx.state.log.info({ accountId }, "terms of service accepted");
    await finishInteraction(provider, ctx, {});
  } catch (error) {
    if (!(error instanceof FormError)) throw error;
    ctx.status = error.status;
    await showTerms(ctx, provider, details, deps, { name, errors: error.fields });
  }
}
