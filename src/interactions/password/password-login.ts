/**
 * Login method: email and password, and creating an account with them. Password checks are
 * throttled (src/security: failures per address and IP, with browsers that signed in with
 * the address before counted on their own), and so are sign-ups, which send mail.
 */
import type { AccountService } from "../../accounts/index.js";
import { formSubmission, type RefusedForm } from "../../http/edge/index.js";
import { knownBrowserCookie, markBrowserKnown, type KnownBrowsers, type MailThrottle, type SignInThrottle } from "../../security/index.js";
import type { InteractionContext, InteractionDetails } from "../interaction.js";
import type { LoginMethod } from "../login-method.js";
import { passwordLoginPaths } from "./paths.js";

const name = "passwordLogin";

export interface PasswordLoginDeps {
  accounts: AccountService;
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
            await kit.interaction(ctx);
            await deps.mailThrottle.request({ kind: "sign-up", address: form.get("email"), ip: ctx.ip });
            const account = await deps.accounts.register({ name: form.get("name"), email: form.get("email"), password: form.get("password") });
            await kit.finishLogin(ctx, account.id);
          },
          showAgain: async (ctx, refused) => showRegister(ctx, await kit.interaction(ctx), refused),
        }),
      );
    },
  };
}
