/**
 * The plan step: this client needs a plan the account does not have. The page names the
 * plan and links to /account/billing; "Continue" runs the sign-in policy again, so once the
 * plan is in force (Stripe has confirmed it) the sign-in goes on.
 */
import type Provider from "oidc-provider";
import { billingPaths, type BillingService } from "../billing/index.js";
import { tesseraPrompts } from "../oidc/index.js";
import { finishInteraction, showCurrentStep } from "./finish.js";
import { loadInteraction } from "./interaction.js";
import { interactionPaths } from "./paths.js";
import { renderStep, type SignInStep } from "./step.js";

export function planStep(deps: { provider: Provider; billing: Pick<BillingService, "plans" | "enabled"> }): SignInStep {
  return {
    prompt: tesseraPrompts.plan,
    async show(ctx, details) {
      const required = String((details.prompt.details as { requiredPlan?: string }).requiredPlan ?? "");
      ctx.status = 403;
      await renderStep(ctx, deps.provider, details, "interactions/plan", {
        title: "This site needs a plan",
        planName: deps.billing.plans.byId(required)?.name ?? required,
        billingEnabled: deps.billing.enabled,
        billingUrl: billingPaths.home,
      });
    },
    mount(router) {
      router.post(interactionPaths.plan, async (ctx) => {
        const details = await loadInteraction(deps.provider, ctx);
        if (details.prompt.name !== tesseraPrompts.plan) return showCurrentStep(ctx, details);
        await finishInteraction(deps.provider, ctx, {});
      });
    },
  };
}
