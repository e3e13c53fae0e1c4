/** Login method: email and password, and creating an account with them. */
import type { AccountService } from "../../accounts/index.js";
import { formSubmission, type RefusedForm } from "../../http/edge/index.js";
import type { InteractionContext, InteractionDetails } from "../interaction.js";
import type { LoginMethod } from "../login-method.js";
import { passwordLoginPaths } from "./paths.js";

const name = "passwordLogin";

export function passwordLogin(deps: { accounts: AccountService }): LoginMethod {
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
            await kit.interaction(ctx);
            const account = await deps.accounts.authenticate(form.get("email"), form.get("password"));
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
            const account = await deps.accounts.register({ name: form.get("name"), email: form.get("email"), password: form.get("password") });
            await kit.finishLogin(ctx, account.id);
          },
          showAgain: async (ctx, refused) => showRegister(ctx, await kit.interaction(ctx), refused),
        }),
      );
    },
  };
}
