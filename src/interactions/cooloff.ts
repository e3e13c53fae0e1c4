/** The cooloff step: this client does not accept accounts this young yet. Nothing to do but wait. */
import type Provider from "oidc-provider";
import { tesseraPrompts } from "../oidc/index.js";
import { renderStep, type SignInStep } from "./step.js";

export function cooloffStep(deps: { provider: Provider }): SignInStep {
  return {
    prompt: tesseraPrompts.cooloff,
    async show(ctx, details) {
      const endsAt = new Date(String((details.prompt.details as { cooloffEndsAt?: string }).cooloffEndsAt));
      ctx.status = 403;
      await renderStep(ctx, deps.provider, details, "interactions/cooloff", {
        title: "Your account is too new for this site",
        endsAt: Number.isNaN(endsAt.getTime()) ? undefined : endsAt,
      });
    },
  };
}
