/**
 * Login method: email and password, and creating an account with them. Password checks are
 * throttled (src/security: failures per address and IP, with browsers that signed in with
 * the address before counted on their own), and so are sign-ups, which send mail.
 * Registering answers "check your email" whatever the address (src/accounts/registration.ts);
 * the account is made when the mailed link is used, and the link, used in this browser,
 * comes back here (`registered`) to finish this sign-in.
 */
import type Provider from "oidc-provider";
import { newBrowserValue, registrationBrowserCookie, type AccountService, type RegistrationService } from "../../accounts/index.js";
import { formSubmission, pathTo, type PageContext, type RefusedForm } from "../../http/edge/index.js";
import { knownBrowserCookie, markBrowserKnown, type KnownBrowsers, type MailThrottle, type SignInThrottle } from "../../security/index.js";
import { TooManyRequestsError } from "../../shared/index.js";
import { showCurrentStep } from "../finish.js";
import type { InteractionContext, InteractionDetails } from "../interaction.js";
import type { LoginKit, LoginMethod } from "../login-method.js";
import { passwordLoginPaths } from "./paths.js";

const name = "passwordLogin";

/** The registration cookie's value, if it has the shape newBrowserValue gives. */
function browserOf(ctx: PageContext): string | undefined {
  const value = ctx.cookies.get(registrationBrowserCookie.name);
  return value && /^[\w-]{43}$/.test(value) ? value : undefined;
}

/** Keeps this browser's registration value (one per browser, for all its registrations). */
function rememberBrowser(ctx: PageContext): string {
  const browser = browserOf(ctx) ?? newBrowserValue();
  // Site-wide: the link's page (/confirm/…) must see it. Lax: a link opened from a mail is a top-level GET.
  ctx.cookies.set(registrationBrowserCookie.name, browser, { httpOnly: true, sameSite: "lax", secure: ctx.secure, path: "/", maxAge: registrationBrowserCookie.maxAgeMs });
  return browser;
}

/** Whether this browser is the one that registered, for pages outside the interaction (the link's page). */
export const registeringBrowser = browserOf;

/**
 * After the link created the account in the browser that registered: continues that sign-in
 * if it is still running (answers whether it did).
 */
export function continueRegisteredSignIn(provider: Provider) {
  return async (ctx: PageContext, interactionUid: string): Promise<boolean> => {
    if (!(await provider.Interaction.find(interactionUid))) return false;
    ctx.status = 303;
    ctx.redirect(pathTo(passwordLoginPaths.registered, { uid: interactionUid }));
    return true;
  };
}

export interface PasswordLoginDeps {
  accounts: AccountService;
  registrations: RegistrationService;
  signInThrottle: SignInThrottle;
  mailThrottle: MailThrottle;
  knownBrowsers: KnownBrowsers;
}

export function passwordLogin(deps: PasswordLoginDeps): LoginMethod {
  return {
    name,
    paths: passwordLoginPaths,
    async panel(_ctx, details, refused) {
      const hint = typeof details.params.login_hint === "string" ? details.params.login_hint : "";
      return { view: "interactions/password/panel", locals: { email: refused ? refused.form.get("email") : hint, errors: refused?.errors ?? {} } };
    },
    mount(router, kit) {
      const showRegister = (ctx: InteractionContext, details: InteractionDetails, refused?: RefusedForm) =>
        kit.render(ctx, details, "interactions/password/register", {
          title: "Create your account",
          name: refused?.form.get("name") ?? "",
          email: refused?.form.get("email") ?? "",
          passwordLength: deps.accounts.passwordLength,
          errors: refused?.errors,
        });

      router.post(
        passwordLoginPaths.login,
        formSubmission<InteractionContext>({
          async submit(ctx, form) {
            const details = await kit.interaction(ctx);
            const clientId = typeof details.params.client_id === "string" ? details.params.client_id : undefined;
            const email = form.get("email");
            const password = form.get("password");
            const known = ctx.cookies.get(knownBrowserCookie.name);
            // A form missing either field is refused without a password check, so it is not counted.
            const attempt = email.trim() && password ? await deps.signInThrottle.attempt({ address: email, ip: ctx.ip, knownBrowser: deps.knownBrowsers.markFor(known, email) }) : undefined;
            const account = await deps.accounts.authenticate(email, password, { clientId });
            await attempt?.forgive();
            markBrowserKnown(deps.knownBrowsers, ctx.cookies, [email], ctx.secure);
            await kit.finishLogin(ctx, account.id);
          },
          showAgain: async (ctx, refused) => kit.showLogin(ctx, await kit.interaction(ctx), { method: name, ...refused }),
        }),
      );

      router.get(passwordLoginPaths.register, async (ctx) => showRegister(ctx, await kit.interaction(ctx)));

      router.post(
        passwordLoginPaths.register,
        formSubmission<InteractionContext>({
          async submit(ctx, form) {
            const details = await kit.interaction(ctx);
            await deps.mailThrottle.request({ kind: "sign-up", address: form.get("email"), ip: ctx.ip });
            await deps.registrations.request(
              { name: form.get("name"), email: form.get("email"), password: form.get("password") },
              { browser: rememberBrowser(ctx), interactionUid: details.uid },
            );
            ctx.status = 303;
            ctx.redirect(pathTo(passwordLoginPaths.registerSent, { uid: details.uid }));
          },
          showAgain: async (ctx, refused) => showRegister(ctx, await kit.interaction(ctx), refused),
        }),
      );

      router.get(passwordLoginPaths.registerSent, async (ctx) => {
        const details = await kit.interaction(ctx);
        const pending = await deps.registrations.waiting(browserOf(ctx), details.uid);
        if (!pending) {
          ctx.status = 303;
          return ctx.redirect(pathTo(passwordLoginPaths.register, { uid: details.uid }));
        }
        await showSent(ctx, details, kit, pending.address);
      });

      router.post(passwordLoginPaths.registerResend, async (ctx) => {
        const details = await kit.interaction(ctx);
        const pending = await deps.registrations.waiting(browserOf(ctx), details.uid);
        if (!pending) return showCurrentStep(ctx, details);
        try {
          await deps.mailThrottle.request({ kind: "sign-up", address: pending.address, ip: ctx.ip, field: "form" });
        } catch (error) {
          if (!(error instanceof TooManyRequestsError)) throw error;
          ctx.status = 429;
          ctx.set("Retry-After", String(error.retryAfterSeconds));
          return showSent(ctx, details, kit, pending.address, { error: error.message });
        }
        await deps.registrations.resend(pending);
        await showSent(ctx, details, kit, pending.address, { resent: true });
      });

      // The registration link, used in this browser, created the account: this sign-in continues with it.
      router.get(passwordLoginPaths.registered, async (ctx) => {
        const details = await kit.interaction(ctx);
        const accountId = await deps.registrations.takeCompleted(browserOf(ctx), details.uid);
        if (!accountId) return showCurrentStep(ctx, details);
        ctx.state.log.info({ accountId }, "registration confirmed; sign-in continues");
        await kit.finishLogin(ctx, accountId);
      });
    },
  };
}

/** "Check your email": the same page whether or not the address has an account. */
function showSent(ctx: InteractionContext, details: InteractionDetails, kit: LoginKit, address: string, notice: { resent?: boolean; error?: string } = {}) {
  return kit.render(ctx, details, "interactions/password/check-email", { title: "Check your email", address, resent: notice.resent, notice: notice.error });
}
