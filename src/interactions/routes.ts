/**
 * /interaction/:uid — the pages node-oidc-provider sends a browser to when it needs the
 * user: GET dispatches on the pending prompt; each POST ends the step with a result.
 */
import Router from "@koa/router";
import type { Context } from "koa";
import { koaBody } from "koa-body";
import type Provider from "oidc-provider";
import type { AccountService, EmailService } from "../accounts/index.js";
import { tesseraReasons } from "../oidc/index.js";
import { showConsent, submitConsent } from "./consent.js";
import { finishInteraction, loadInteraction } from "./interaction.js";
import { showLogin, showRegister, submitLogin, submitRegister } from "./login.js";
import { continueAfterVerification, resendVerification, showVerifyEmail } from "./verify-email.js";

export const routes = {
  interaction: "/interaction/:uid",
  login: "/interaction/:uid/login",
  register: "/interaction/:uid/register",
  consent: "/interaction/:uid/consent",
  abort: "/interaction/:uid/abort",
  resendVerification: "/interaction/:uid/resend-verification",
  continue: "/interaction/:uid/continue",
} as const;

export function interactionRouter(deps: { provider: Provider; accounts: AccountService; emails: EmailService }): Router {
  const { provider, accounts } = deps;
  const router = new Router();
  const form = koaBody({ urlencoded: true, json: false, multipart: false, text: false, formLimit: "16kb" });
  const body = (ctx: Context) => ((ctx.request as { body?: unknown }).body ?? {}) as Record<string, unknown>;

  router.use(async (ctx, next) => {
    ctx.set("Cache-Control", "no-store");
    await next();
  });

  router.get(routes.interaction, async (ctx) => {
    const details = await loadInteraction(provider, ctx);
    if (details.prompt.name === "login" && details.prompt.reasons.includes(tesseraReasons.emailNotVerified)) {
      return showVerifyEmail(ctx, provider, details, deps);
    }
    if (details.prompt.name === "login") return showLogin(ctx, provider, details);
    if (details.prompt.name === "consent") return showConsent(ctx, provider, details);
    throw new Error(`no page for prompt ${details.prompt.name}`);
  });

  router.get(routes.register, async (ctx) => showRegister(ctx, provider, await loadInteraction(provider, ctx)));

  router.post(routes.login, form, async (ctx) =>
    submitLogin(ctx, provider, await loadInteraction(provider, ctx), accounts, body(ctx)),
  );
  router.post(routes.register, form, async (ctx) =>
    submitRegister(ctx, provider, await loadInteraction(provider, ctx), accounts, body(ctx)),
  );
  router.post(routes.consent, form, async (ctx) =>
    submitConsent(ctx, provider, await loadInteraction(provider, ctx), body(ctx)),
  );

  router.get(routes.continue, async (ctx) => continueAfterVerification(ctx, provider, await loadInteraction(provider, ctx), accounts));

  router.post(routes.resendVerification, async (ctx) => resendVerification(ctx, provider, await loadInteraction(provider, ctx), deps));


  router.post(routes.abort, async (ctx) => {
    await loadInteraction(provider, ctx);
    await finishInteraction(provider, ctx, { error: "access_denied", error_description: "The user cancelled the sign-in" });
  });

  return router;
}
