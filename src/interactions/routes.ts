/**
 * /interaction/:uid — the pages node-oidc-provider sends a browser to when it needs the
 * user: GET dispatches on the pending prompt; each POST ends the step with a result.
 */
import Router from "@koa/router";
import type { Context } from "koa";
import { koaBody } from "koa-body";
import type Provider from "oidc-provider";
import type { AccountService, EmailService, TermsService } from "../accounts/index.js";
import { tesseraPrompts, tesseraReasons } from "../oidc/index.js";
import type { ConsentService, OrganisationRepository } from "../orgs/index.js";
import type { Clock } from "../shared/index.js";
import { showConsent, submitConsent } from "./consent.js";
import { showCooloff } from "./cooloff.js";
import { showOrganisationConsent, submitOrganisationConsent } from "./organisation.js";
import { showTerms, submitTerms } from "./terms.js";
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
  terms: "/interaction/:uid/terms",
  organisation: "/interaction/:uid/organisation",
} as const;

export interface InteractionDeps {
  provider: Provider;
  accounts: AccountService;
  emails: EmailService;
  terms: TermsService;
  organisations: OrganisationRepository & ConsentService;
  clock: Clock;
  resourceServerName(identifier: string): Promise<string | undefined>;
}

export function interactionRouter(deps: InteractionDeps): Router {
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
    switch (details.prompt.name) {
      case "login":
        return showLogin(ctx, provider, details);
      case tesseraPrompts.cooloff:
        return showCooloff(ctx, provider, details);
      case tesseraPrompts.terms:
        return showTerms(ctx, provider, details, deps);
      case tesseraPrompts.organisation:
        return showOrganisationConsent(ctx, provider, details, deps);
      case "consent":
        return showConsent(ctx, provider, details, deps);
      default:
        throw new Error(`no page for prompt ${details.prompt.name}`);
    }
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

  router.post(routes.terms, form, async (ctx) => submitTerms(ctx, provider, await loadInteraction(provider, ctx), deps, body(ctx)));
  router.post(routes.organisation, form, async (ctx) =>
    submitOrganisationConsent(ctx, provider, await loadInteraction(provider, ctx), deps, body(ctx)),
  );

  router.get(routes.continue, async (ctx) => continueAfterVerification(ctx, provider, await loadInteraction(provider, ctx), accounts));

  router.post(routes.resendVerification, async (ctx) => resendVerification(ctx, provider, await loadInteraction(provider, ctx), deps));


  router.post(routes.abort, async (ctx) => {
    await loadInteraction(provider, ctx);
    await finishInteraction(provider, ctx, { error: "access_denied", error_description: "The user cancelled the sign-in" });
  });

  return router;
}
