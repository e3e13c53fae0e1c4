/**
 * /account/delete — deleting one's account: a page of its own that says what goes and asks
 * for the primary address to be typed, so that no stray click deletes anything. A wrong
 * or empty answer shows the form again with the message next to the field, and deletes
 * nothing. Afterwards there is no session left, so the last page is in the "single" layout.
 */
import type Router from "@koa/router";
import type { Context } from "koa";
import type { koaBody } from "koa-body";
import { FormError } from "../../shared/index.js";
import type { ProfileService } from "../profile.js";
import type { AccountService } from "../service.js";
import { field } from "./form-field.js";

export function addDeletionRoutes(
  router: Router,
  deps: { path: string; form: ReturnType<typeof koaBody>; profile: ProfileService; accounts: AccountService; signOutUrl: string },
): void {
  async function confirmationPage(ctx: Context, accountId: string, state: { errors?: Record<string, string>; typed?: string } = {}) {
    const account = await deps.accounts.findById(accountId);
    const errors = state.errors ?? {};
    await ctx.render("layouts/default", {
      page: "accounts/delete-account",
      title: "Delete your account",
      account,
      action: deps.path,
      typed: state.typed ?? "",
      errors,
      hasErrors: Object.keys(errors).length > 0,
      signOutUrl: deps.signOutUrl,
    });
  }

  router.get(deps.path, async (ctx) => confirmationPage(ctx, ctx.state.accountId as string));

  router.post(deps.path, deps.form, async (ctx) => {
    const accountId = ctx.state.accountId as string;
    const typed = field(ctx, "confirmation");
    try {
      await deps.profile.deleteAccount(accountId, typed);
    } catch (error) {
      if (!(error instanceof FormError)) throw error;
      ctx.status = error.status;
      return confirmationPage(ctx, accountId, { errors: error.fields, typed });
    }
    ctx.state.log.info({ accountId }, "account deleted");
    await ctx.render("layouts/single", { page: "accounts/account-deleted", title: "Your account was deleted" });
  });
}
