/**
 * /account/delete — deleting one's account: a page of its own that says what goes and asks
 * for the primary address to be typed, so that no stray click deletes anything. A wrong
 * or empty answer shows the form again with the message next to the field, and deletes
 * nothing. Afterwards there is no session left, so the last page is in the "single" layout.
 */
import { formSubmission, renderPage, type FieldErrors } from "../../http/edge/index.js";
import type { ProfileService } from "../profile.js";
import type { AccountService } from "../service.js";
import type { AccountContext, AccountRouter } from "./signed-in.js";

export function addDeletionRoutes(
  router: AccountRouter,
  deps: { path: string; profile: ProfileService; accounts: AccountService; signOutUrl: string },
): void {
  async function confirmationPage(ctx: AccountContext, state: { errors?: FieldErrors; typed?: string } = {}) {
    const account = await deps.accounts.findById(ctx.state.accountId);
    await renderPage(
      ctx,
      "accounts/delete-account",
      { title: "Delete your account", account, action: deps.path, typed: state.typed ?? "", errors: state.errors, signOutUrl: deps.signOutUrl },
      "default",
    );
  }

  router.get(deps.path, async (ctx) => confirmationPage(ctx));

  router.post(
    deps.path,
    formSubmission<AccountContext>({
      async submit(ctx, form) {
        const accountId = ctx.state.accountId;
        await deps.profile.deleteAccount(accountId, form.get("confirmation"));
        ctx.state.log.info({ accountId }, "account deleted");
        await renderPage(ctx, "accounts/account-deleted", { title: "Your account was deleted" });
      },
      showAgain: (ctx, { form, errors }) => confirmationPage(ctx, { errors, typed: form.get("confirmation") }),
    }),
  );
}
