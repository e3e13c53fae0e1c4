/**
 * "Confirm your details": the current terms of service, not yet accepted by this user.
 * The name is editable here because it is what the application is about to receive.
 */
import type Provider from "oidc-provider";
import { errors } from "oidc-provider";
import type { AccountService, TermsService } from "../accounts/index.js";
import { formSubmission, type RefusedForm } from "../http/edge/index.js";
import { tesseraPrompts } from "../oidc/index.js";
import { finishInteraction, showCurrentStep } from "./finish.js";
import { loadInteraction, type InteractionContext, type InteractionDetails } from "./interaction.js";
import { interactionPaths } from "./paths.js";
import { renderStep, type SignInStep } from "./step.js";

interface Deps {
  provider: Provider;
  accounts: AccountService;
  terms: TermsService;
}

export function termsStep(deps: Deps): SignInStep {
  const { provider } = deps;

  async function show(ctx: InteractionContext, details: InteractionDetails, refused?: RefusedForm) {
    const account = details.session?.accountId ? await deps.accounts.findById(details.session.accountId) : undefined;
    if (!account) throw new errors.SessionNotFound("the account of this sign-in is gone");
    const terms = await deps.terms.pendingFor(account.id);
    if (!terms) return finishInteraction(provider, ctx, {});
    await renderStep(ctx, provider, details, "interactions/terms", {
      title: "Confirm your details",
      terms,
      name: refused ? refused.form.get("name") : account.name,
      email: account.primaryEmail?.address,
      errors: refused?.errors,
    });
  }

  return {
    prompt: tesseraPrompts.terms,
    show: (ctx, details) => show(ctx, details),
    mount(router) {
      router.post(
        interactionPaths.terms,
        formSubmission<InteractionContext>({
          async submit(ctx, form) {
            const details = await loadInteraction(provider, ctx);
            const accountId = details.session?.accountId;
            if (!accountId || details.prompt.name !== tesseraPrompts.terms) return showCurrentStep(ctx, details);
            await deps.terms.accept(accountId, { version: form.get("version"), accepted: form.get("accept") === "yes", name: form.get("name") });
            ctx.state.log.info({ accountId }, "terms of service accepted");
            await finishInteraction(provider, ctx, {});
          },
          showAgain: async (ctx, refused) => show(ctx, await loadInteraction(provider, ctx), refused),
        }),
      );
    },
  };
}
