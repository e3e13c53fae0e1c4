/**
 * /interaction/:uid — the pages node-oidc-provider sends a browser to when it needs the
 * user: GET shows the step for the pending prompt (step.ts); each step and login method
 * mounts its own posts, and every post ends the step with a result.
 */
import type Provider from "oidc-provider";
import { errors } from "oidc-provider";
import type { AccountService, EmailService, ScopeWords, TermsService } from "../accounts/index.js";
import type { BillingService } from "../billing/index.js";
import type { Edge } from "../http/edge/index.js";
import { renderExpiredSignIn, signInUidOf, type ConnectedApplications, type ExpiredSignIns } from "../oidc/index.js";
import type { ConsentService, OrganisationRepository } from "../orgs/index.js";
import type { MailThrottle } from "../security/index.js";
import type { Clock } from "../shared/index.js";
import { consentStep } from "./consent.js";
import { cooloffStep } from "./cooloff.js";
import { finishInteraction } from "./finish.js";
import { loadInteraction, type InteractionContext, type InteractionState } from "./interaction.js";
import { loginStep } from "./login.js";
import type { LoginMethod } from "./login-method.js";
import { interactionPaths } from "./paths.js";
import { planStep } from "./plan.js";
import { stepFor, type SignInStep } from "./step.js";
import { termsStep } from "./terms.js";
import { verifyEmailStep } from "./verify-email.js";

export interface InteractionDeps {
  provider: Provider;
  accounts: AccountService;
  emails: EmailService;
  terms: TermsService;
  organisations: OrganisationRepository & ConsentService;
  billing: Pick<BillingService, "plans" | "enabled">;
  clock: Clock;
  /** Where the consent given on the consent page is recorded (the audit trail). */
  applications: Pick<ConnectedApplications, "recordConsent">;
  /** What each scope shares, in words (contributed scopes included). */
  scopeWords: ScopeWords;
  resourceServerName(identifier: string): Promise<string | undefined>;
  /** Limits requests that send mail (a new confirmation link). */
  mailThrottle: MailThrottle;
  /** The login methods on the login page, in the order shown. */
  loginMethods: readonly LoginMethod[];
  /** What an expired sign-in's page offers (its application, where known). */
  expiredSignIns: ExpiredSignIns;
}

export function mountInteractionRoutes(edge: Edge, deps: InteractionDeps): void {
  const { provider } = deps;
  const router = edge.pages<InteractionState>("interaction", interactionPaths);
  // A sign-in that ended or expired, met again (the back button, a reload, another tab):
  // its page, with the way back to its application instead of a dead end.
  const expired = async (ctx: InteractionContext, next: () => Promise<unknown>) => {
    try {
      await next();
    } catch (error) {
      if (!(error instanceof errors.SessionNotFound)) throw error;
      ctx.state.log.info({ code: "session_not_found" }, "request refused");
      ctx.status = 400;
      await renderExpiredSignIn(ctx, await deps.expiredSignIns.describe(signInUidOf(ctx.path)), ctx.state.requestId);
    }
  };
  router.use(expired);
  const login = loginStep({ provider, methods: deps.loginMethods });
  // Steps in the policy's order (src/oidc/policy.ts); a reason-specific step before its prompt's own.
  const steps: SignInStep[] = [verifyEmailStep(deps), login, cooloffStep(deps), termsStep(deps), planStep(deps), consentStep(deps)];

  router.get(interactionPaths.interaction, async (ctx) => {
    const details = await loadInteraction(provider, ctx);
    const step = stepFor(steps, details);
    if (!step) throw new Error(`no page for prompt ${details.prompt.name}`);
    await step.show(ctx, details);
  });

  router.post(interactionPaths.abort, async (ctx) => {
    await loadInteraction(provider, ctx);
    await finishInteraction(provider, ctx, { error: "access_denied", error_description: "The user cancelled the sign-in" });
  });

  for (const step of steps) step.mount?.(router);
  // Each login method on a router of its own, so its paths reach views under its name.
  for (const method of deps.loginMethods) {
    const methodRouter = edge.pages<InteractionState>(method.name, method.paths);
    methodRouter.use(expired);
    login.mountMethod(methodRouter, method);
    if (method.mountApi) login.mountMethodApi(edge.api(), method);
  }
}
