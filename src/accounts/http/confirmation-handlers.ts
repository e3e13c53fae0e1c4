/**
 * What the accounts room does with its confirmation links: confirm an address (the one an
 * account registered with, or one added later) and reset a password.
 */
import type { ConfirmationHandler, ConfirmationService } from "../../confirmation/index.js";
import { confirmationPaths } from "../../confirmation/index.js";
import { pathTo, renderPage, type PageContext } from "../../http/edge/index.js";
import { markBrowserKnown, type KnownBrowsers, type MailThrottle } from "../../security/index.js";
import { TooManyRequestsError } from "../../shared/index.js";
import type { EmailService } from "../emails.js";
import type { PasswordResetService } from "../password-reset.js";
import type { AccountRepository } from "../repository.js";
import type { SignedInSession } from "./session.js";

export function emailConfirmationHandlers(deps: {
  confirmations: ConfirmationService;
  emails: EmailService;
  repo: AccountRepository;
  mailThrottle: MailThrottle;
  /** Continues a sign-in in this browser that was waiting for this account's address. */
  resumeSignIn(ctx: PageContext, accountId: string): Promise<boolean>;
}): ConfirmationHandler[] {
  const make = (intent: "registration" | "add-email"): ConfirmationHandler => ({
    intent,
    async show(ctx, confirmation, key) {
      const email = await deps.repo.findEmail(confirmation.objectId);
      await renderPage(ctx, "accounts/confirm-email", { title: "Confirm your email address", address: email?.address, action: pathTo(confirmationPaths.link, { key }) });
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
        await deps.mailThrottle.request({ kind: "address-link", address: email.address, ip: ctx.ip });
        await deps.emails.resendVerification(email.userId, email.id);
        await renderPage(ctx, "accounts/link-sent", { title: "Check your email", address: email.address });
      } catch (error) {
        if (!(error instanceof TooManyRequestsError)) throw error;
        await tooMany(ctx, error);
      }
    },
  });
  return [make("registration"), make("add-email")];
}

export function passwordResetHandler(deps: {
  passwordReset: PasswordResetService;
  repo: AccountRepository;
  session: SignedInSession;
  mailThrottle: MailThrottle;
  knownBrowsers: KnownBrowsers;
}): ConfirmationHandler {
  return {
    intent: "password-reset",
    show: (ctx, _confirmation, key, refused) =>
      renderPage(ctx, "accounts/reset-password", {
        title: "Choose a new password",
        action: pathTo(confirmationPaths.link, { key }),
        passwordLength: deps.passwordReset.passwordLength,
        errors: refused?.errors,
      }),
    async confirm(ctx, key, confirmation, form) {
      const { accountId, interactionUid } = await deps.passwordReset.reset(key, form.get("password"), await deps.session.sessionId(ctx));
      ctx.state.log.info({ accountId }, "password reset; other sessions ended");
      // Whoever used the link holds the mailbox: this browser is now known to that address
      // (and to the primary one), so sign-in throttling counts it apart from strangers'.
      const mailed = confirmation.payload.emailId ? await deps.repo.findEmail(confirmation.payload.emailId) : undefined;
      const primary = (await deps.repo.findById(accountId))?.primaryEmail?.address;
      markBrowserKnown(deps.knownBrowsers, ctx.cookies, [...new Set([mailed?.address, primary].filter((address): address is string => !!address))], ctx.secure);
      // The sign-in the reset was asked from continues, if there was one; else the account page.
      await renderPage(ctx, "accounts/password-changed", { title: "Password changed", interactionUid });
    },
    async resend(ctx, confirmation) {
      const email = confirmation.payload.emailId ? await deps.repo.findEmail(confirmation.payload.emailId) : undefined;
      if (!email) return renderPage(ctx, "accounts/forgot-password", { title: "Reset your password", email: "" });
      try {
        await deps.mailThrottle.request({ kind: "password-reset", address: email.address, ip: ctx.ip });
      } catch (error) {
        if (!(error instanceof TooManyRequestsError)) throw error;
        return tooMany(ctx, error);
      }
      await deps.passwordReset.request(email.address);
      await renderPage(ctx, "accounts/link-sent", { title: "Check your email", address: email.address, reset: true });
    },
  };
}

/** A new link asked for too soon: the page says when another can be sent. */
async function tooMany(ctx: PageContext, error: TooManyRequestsError): Promise<void> {
  ctx.status = 429;
  ctx.set("Retry-After", String(error.retryAfterSeconds));
  await renderPage(ctx, "errors/page", { title: "Please wait a moment", message: error.message });
}
