/**
 * What the accounts room does with its confirmation links: confirm an address (the one an
 * account registered with, or one added later) and reset a password.
 */
import type { Context } from "koa";
import type { ConfirmationHandler, ConfirmationService } from "../../confirmation/index.js";
import { TooManyLinksError } from "../../confirmation/index.js";
import { FormError } from "../../shared/index.js";
import type { EmailService } from "../emails.js";
import type { PasswordResetService } from "../password-reset.js";
import type { AccountRepository } from "../repository.js";
import { passwordLength } from "../service.js";
import type { SignedInSession } from "./session.js";

function field(ctx: Context, name: string): string {
  const value = ((ctx.request as { body?: Record<string, unknown> }).body ?? {})[name];
  return typeof value === "string" ? value : "";
}

async function renderPage(ctx: Context, page: string, locals: Record<string, unknown>) {
  await ctx.render("layouts/single", { page, ...locals });
}

export function emailConfirmationHandlers(deps: {
  confirmations: ConfirmationService;
  emails: EmailService;
  repo: AccountRepository;
  /** Continues a sign-in in this browser that was waiting for this account's address. */
  resumeSignIn(ctx: Context, accountId: string): Promise<boolean>;
}): ConfirmationHandler[] {
  const make = (intent: "registration" | "add-email"): ConfirmationHandler => ({
    intent,
    async show(ctx, confirmation, key) {
      const email = await deps.repo.findEmail(confirmation.objectId);
      await renderPage(ctx, "accounts/confirm-email", { title: "Confirm your email address", address: email?.address, action: `/confirm/${key}` });
    },
    async confirm(ctx, key) {
      const verified = await deps.confirmations.redeem(key, [intent], (confirmation, tx) => deps.emails.verify(tx, confirmation.objectId));
      ctx.state.log.info({ intent, accountId: verified.userId }, "email address confirmed");
      if (await deps.resumeSignIn(ctx, verified.userId)) return;
      await renderPage(ctx, "accounts/email-confirmed", { title: "Email address confirmed", address: verified.address });
    },
    async resend(ctx, confirmation) {
      const email = await deps.repo.findEmail(confirmation.objectId);
      if (!email || email.verified) {
        return renderPage(ctx, "accounts/email-confirmed", { title: "Email address confirmed", address: email?.address });
      }
      try {
        await deps.emails.resendVerification(email.userId, email.id);
        await renderPage(ctx, "accounts/link-sent", { title: "Check your email", address: email.address });
      } catch (error) {
        if (!(error instanceof TooManyLinksError)) throw error;
        ctx.status = 429;
        await renderPage(ctx, "errors/page", { title: "Please wait a moment", message: error.message });
      }
    },
  });
  return [make("registration"), make("add-email")];
}

export function passwordResetHandler(deps: { passwordReset: PasswordResetService; repo: AccountRepository; session: SignedInSession }): ConfirmationHandler {
  const form = (ctx: Context, key: string, errors: Record<string, string> = {}) =>
    renderPage(ctx, "accounts/reset-password", {
      title: "Choose a new password",
      action: `/confirm/${key}`,
      passwordLength,
      errors,
      hasErrors: Object.keys(errors).length > 0,
    });
  return {
    intent: "password-reset",
    show: (ctx, _confirmation, key) => form(ctx, key),
    async confirm(ctx, key) {
      try {
        const { accountId, interactionUid } = await deps.passwordReset.reset(key, field(ctx, "password"), await deps.session.sessionId(ctx));
        ctx.state.log.info({ accountId }, "password reset; other sessions ended");
        await renderPage(ctx, "accounts/password-changed", {
          title: "Password changed",
          continueUrl: interactionUid ? `/interaction/${interactionUid}` : "/account",
        });
      } catch (error) {
        if (!(error instanceof FormError)) throw error;
        ctx.status = error.status;
        await form(ctx, key, error.fields);
      }
    },
    async resend(ctx, confirmation) {
      const email = confirmation.payload.emailId ? await deps.repo.findEmail(confirmation.payload.emailId) : undefined;
      if (!email) return renderPage(ctx, "accounts/forgot-password", { title: "Reset your password", email: "", errors: {} });
      await deps.passwordReset.request(email.address);
      await renderPage(ctx, "accounts/link-sent", { title: "Check your email", address: email.address, reset: true });
    },
  };
}
