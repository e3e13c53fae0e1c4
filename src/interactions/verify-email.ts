/**
 * The "confirm your email" step, for clients that require a verified address. The link in
 * the mail resumes this sign-in when it is opened in the same browser (see resumeSignIn).
 */
import type Provider from "oidc-provider";
import { errors } from "oidc-provider";
import type { AccountService, EmailService } from "../accounts/index.js";
import { pathTo, type PageContext } from "../http/edge/index.js";
import { tesseraReasons } from "../oidc/index.js";
import type { MailThrottle } from "../security/index.js";
import { TooManyRequestsError } from "../shared/index.js";
import { finishLogin, showCurrentStep } from "./finish.js";
import { loadInteraction, type InteractionContext, type InteractionDetails } from "./interaction.js";
import { interactionPaths } from "./paths.js";
import { renderStep, type SignInStep } from "./step.js";

interface Deps {
  provider: Provider;
  accounts: AccountService;
  emails: EmailService;
  mailThrottle: MailThrottle;
}

export function verifyEmailStep(deps: Deps): SignInStep {
  const { provider } = deps;

  async function accountOf(details: InteractionDetails) {
    const account = details.session?.accountId ? await deps.accounts.findById(details.session.accountId) : undefined;
    if (!account) throw new errors.SessionNotFound("the account of this sign-in is gone");
    return account;
  }

  /**
   * Shows the step — or, when the address was confirmed meanwhile (in another browser), lets
   * the sign-in continue instead of asking for what is already done.
   */
  async function show(ctx: InteractionContext, details: InteractionDetails, notice?: { sent?: string; error?: string }) {
    const account = await accountOf(details);
    if (account.primaryEmail?.verified) return finishLogin(provider, ctx, account.id);
    await renderStep(ctx, provider, details, "interactions/verify-email", {
      title: "Confirm your email",
      address: account.primaryEmail?.address,
      sent: notice?.sent,
      notice: notice?.error,
    });
  }

  return {
    prompt: "login",
    reason: tesseraReasons.emailNotVerified,
    show: (ctx, details) => show(ctx, details),
    mount(router) {
      router.post(interactionPaths.resendVerification, async (ctx) => {
        const details = await loadInteraction(provider, ctx);
        const account = await accountOf(details);
        const primary = (await deps.emails.list(account.id)).find((email) => email.primary);
        if (!primary || primary.verified) return show(ctx, details);
        try {
          await deps.mailThrottle.request({ kind: "address-link", address: primary.address, ip: ctx.ip, field: "form" });
          const { address } = await deps.emails.resendVerification(account.id, primary.id, { interactionUid: details.uid });
          await show(ctx, details, { sent: address });
        } catch (error) {
          if (!(error instanceof TooManyRequestsError)) throw error;
          ctx.status = 429;
          ctx.set("Retry-After", String(error.retryAfterSeconds));
          await show(ctx, details, { error: error.message });
        }
      });

      // Where a confirmed link sends the waiting browser (resumeSignIn).
      router.get(interactionPaths.continue, async (ctx) => {
        const details = await loadInteraction(provider, ctx);
        if (details.prompt.reasons.includes(tesseraReasons.emailNotVerified)) return show(ctx, details);
        showCurrentStep(ctx, details);
      });
    },
  };
}

/**
 * After an address is confirmed: if this browser runs the sign-in that asked for the link
 * (`waitingUid`, checked by the caller), send it there to continue. Answers whether it did.
 */
export async function resumeSignIn(ctx: PageContext, waitingUid: string | undefined): Promise<boolean> {
  if (!waitingUid) return false;
  ctx.status = 303;
  ctx.redirect(pathTo(interactionPaths.continue, { uid: waitingUid }));
  return true;
}
