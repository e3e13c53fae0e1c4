/**
 * What the accounts room does with its confirmation links: create the account a
 * registration asked for, confirm an address (one an account made with a wallet registered
 * with, or one added later) and reset a password.
 */
import type { ConfirmationHandler, ConfirmationService } from "../../confirmation/index.js";
import { confirmationPaths } from "../../confirmation/index.js";
import { pathTo, renderPage, type PageContext } from "../../http/edge/index.js";
import { markBrowserKnown, type KnownBrowsers, type MailThrottle } from "../../security/index.js";
import { TooManyRequestsError } from "../../shared/index.js";
import type { EmailService } from "../emails.js";
import type { PasswordResetService } from "../password-reset.js";
import { RegistrationGoneError, type RegistrationService } from "../registration.js";
import type { AccountRepository } from "../repository.js";
import type { SignedInSession } from "./session.js";

export function emailConfirmationHandlers(deps: {
  confirmations: ConfirmationService;
  emails: EmailService;
  repo: AccountRepository;
  mailThrottle: MailThrottle;
  /**
   * Continues the sign-in that asked for this link (`interactionUid`, none for an address
   * added on the account page), if this browser is running it for this account.
   */
  resumeSignIn(ctx: PageContext, accountId: string, interactionUid: string | undefined): Promise<boolean>;
}): ConfirmationHandler[] {
  const make = (intent: "registration" | "add-email"): ConfirmationHandler => ({
    intent,
    async show(ctx, confirmation, key) {
      const email = await deps.repo.findEmail(confirmation.objectId);
      await renderPage(ctx, "accounts/confirm-email", { title: "Confirm your email address", address: email?.address, action: pathTo(confirmationPaths.link, { key }) });
    },
    async confirm(ctx, key, confirmation) {
      const verified = await deps.confirmations.redeem(key, [intent], (redeemed, tx) => deps.emails.verify(tx, redeemed.objectId));
      ctx.state.log.info({ intent, accountId: verified.userId }, "email address confirmed");
      if (await deps.resumeSignIn(ctx, verified.userId, confirmation.payload.interactionUid)) return;
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

/**
 * The registration link (registration.ts): in the browser that registered, a button that
 * creates the account and continues the sign-in; in any other, a form for a password of the
 * user's own (and the name, which the registrant chose).
 */
export function signUpHandler(deps: {
  registrations: RegistrationService;
  /** The registration cookie's value in this browser, if any. */
  browser(ctx: PageContext): string | undefined;
  /** Continues the sign-in `interactionUid` of this browser if it still runs; answers whether it did. */
  continueSignIn(ctx: PageContext, interactionUid: string): Promise<boolean>;
}): ConfirmationHandler {
  return {
    intent: "sign-up",
    async show(ctx, confirmation, key, refused) {
      const pending = await deps.registrations.find(confirmation.objectId);
      if (!pending || pending.accountId) throw new RegistrationGoneError();
      const action = pathTo(confirmationPaths.link, { key });
      if (deps.registrations.isRegisteringBrowser(pending, deps.browser(ctx))) {
        return renderPage(ctx, "accounts/confirm-email", { title: "Confirm your email address", address: pending.address, action });
      }
      await renderPage(ctx, "accounts/finish-registration", {
        title: "Finish creating your account",
        address: pending.address,
        name: refused?.form.get("name") ?? pending.name,
        action,
        passwordLength: deps.registrations.passwordLength,
        errors: refused?.errors ?? {},
      });
    },
    async confirm(ctx, key, confirmation, form) {
      const { account, interactionUid } = await deps.registrations.confirm(key, confirmation.objectId, deps.browser(ctx), { name: form.get("name"), password: form.get("password") });
      ctx.state.log.info({ accountId: account.id, sameBrowser: interactionUid !== undefined }, "registration confirmed; account created");
      if (interactionUid && (await deps.continueSignIn(ctx, interactionUid))) return;
      await renderPage(ctx, "accounts/account-created", { title: "Your account is ready", address: account.primaryEmail?.address });
    },
  };
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
