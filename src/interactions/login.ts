/**
 * The login prompt: the login page lists every available login method's panel, in the
 * order given; each method handles its own forms and ends with the shared finishLogin.
 */
import type Provider from "oidc-provider";
import type { ApiRouter, RefusedForm } from "../http/edge/index.js";
import { finishLogin, loginResult } from "./finish.js";
import { loadInteraction, type InteractionContext, type InteractionDetails, type InteractionRouter } from "./interaction.js";
import type { LoginKit, LoginMethod } from "./login-method.js";
import { renderStep, type SignInStep } from "./step.js";

export function loginStep(deps: { provider: Provider; methods: readonly LoginMethod[] }): SignInStep & {
  mountMethod(router: InteractionRouter, method: LoginMethod): void;
  mountMethodApi(router: ApiRouter, method: LoginMethod): void;
} {
  const { provider, methods } = deps;

  async function showLogin(ctx: InteractionContext, details: InteractionDetails, refused?: { method: string } & RefusedForm) {
    const panels = (await Promise.all(methods.map((method) => method.panel(ctx, details, refused?.method === method.name ? refused : undefined)))).filter(Boolean);
    await renderStep(ctx, provider, details, "interactions/login", { title: "Sign in", panels, errors: refused?.errors });
  }

  const kit: LoginKit = {
    provider,
    interaction: (ctx) => loadInteraction(provider, ctx),
    finishLogin: (ctx, accountId) => finishLogin(provider, ctx, accountId),
    loginResult: (ctx, accountId) => loginResult(provider, ctx, accountId),
    showLogin,
    render: (ctx, details, page, locals) => renderStep(ctx, provider, details, page, locals),
  };

  return {
    prompt: "login",
    async show(ctx, details) {
      for (const method of methods) {
        const accountId = await method.provenAccount?.(ctx, details);
        if (accountId) return finishLogin(provider, ctx, accountId);
      }
      await showLogin(ctx, details);
    },
    mountMethod: (router, method) => method.mount(router, kit),
    mountMethodApi: (router, method) => method.mountApi?.(router, kit),
  };
}
