/** The cooloff step: this client does not accept accounts this young yet. Nothing to do but wait. */
import type { Context } from "koa";
import type Provider from "oidc-provider";
import { clientDisplay, type InteractionDetails } from "./interaction.js";
import { render } from "./render.js";

export async function showCooloff(ctx: Context, provider: Provider, details: InteractionDetails) {
  const endsAt = new Date(String((details.prompt.details as { cooloffEndsAt?: string }).cooloffEndsAt));
  ctx.status = 403;
  await render(ctx, "interactions/cooloff", {
    title: "Your account is too new for this site",
    uid: details.uid,
    application: await clientDisplay(provider, details.params.client_id),
    endsAt: Number.isNaN(endsAt.getTime()) ? undefined : endsAt,
  });
}
