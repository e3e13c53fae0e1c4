/** /password/forgot — ask for a reset link. The answer never reveals whether an account exists. */
import Router from "@koa/router";
import { koaBody } from "koa-body";
import { FormError } from "../../shared/index.js";
import type { PasswordResetService } from "../password-reset.js";

export const passwordPaths = { forgot: "/password/forgot" } as const;

export function passwordRouter(passwordReset: PasswordResetService): Router {
  const router = new Router();
  const form = koaBody({ urlencoded: true, json: false, multipart: false, text: false, formLimit: "16kb" });
  const interactionOf = (value: unknown) => (typeof value === "string" && /^[\w-]{1,64}$/.test(value) ? value : undefined);

  router.get(passwordPaths.forgot, async (ctx) => {
    await ctx.render("layouts/single", {
      page: "accounts/forgot-password",
      title: "Reset your password",
      email: typeof ctx.query.email === "string" ? ctx.query.email : "",
      interaction: interactionOf(ctx.query.interaction),
      errors: {},
    });
  });

  router.post(passwordPaths.forgot, form, async (ctx) => {
    const body = ((ctx.request as { body?: Record<string, unknown> }).body ?? {}) as Record<string, unknown>;
    const email = typeof body.email === "string" ? body.email : "";
    const interaction = interactionOf(body.interaction);
    try {
      const { address } = await passwordReset.request(email, { interactionUid: interaction });
      await ctx.render("layouts/single", { page: "accounts/link-sent", title: "Check your email", address, reset: true });
    } catch (error) {
      if (!(error instanceof FormError)) throw error;
      ctx.status = error.status;
      await ctx.render("layouts/single", { page: "accounts/forgot-password", title: "Reset your password", email, interaction, errors: error.fields, hasErrors: true });
    }
  });
  return router;
}
