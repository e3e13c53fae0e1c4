/**
 * /account — the signed-in user's own page ("default" layout): their addresses and what
 * can be done with each. Visitors without a session are sent to sign in first.
 */
import Router from "@koa/router";
import type { Context } from "koa";
import { koaBody } from "koa-body";
import { AppError, FormError } from "../../shared/errors.js";
import type { EmailService } from "../emails.js";
import type { AccountService } from "../service.js";
import type { SignedInSession } from "./session.js";

export const accountPaths = {
  home: "/account",
  addEmail: "/account/emails",
  emailAction: "/account/emails/:id/:action",
} as const;

const emailActions = ["primary", "remove", "resend"] as const;
type EmailAction = (typeof emailActions)[number];

export function accountRouter(deps: { accounts: AccountService; emails: EmailService; session: SignedInSession }): Router {
  const router = new Router();
  const form = koaBody({ urlencoded: true, json: false, multipart: false, text: false, formLimit: "16kb" });

  async function page(ctx: Context, accountId: string, extra: { notice?: string; errors?: Record<string, string>; newEmail?: string } = {}) {
    const account = await deps.accounts.findById(accountId);
    if (!account) return ctx.redirect(deps.session.signInUrl);
    await ctx.render("layouts/default", {
      page: "accounts/account",
      title: "Your account",
      account,
      emails: await deps.emails.list(accountId),
      notice: extra.notice,
      errors: extra.errors ?? {},
      hasErrors: Boolean(extra.errors && Object.keys(extra.errors).length),
      newEmail: extra.newEmail ?? "",
      signOutUrl: deps.session.signOutUrl,
    });
  }

  router.use(async (ctx, next) => {
    ctx.set("Cache-Control", "no-store");
    const accountId = await deps.session.accountId(ctx);
    if (!accountId) {
      ctx.status = 303;
      return ctx.redirect(deps.session.signInUrl);
    }
    ctx.state.accountId = accountId;
    await next();
  });

  router.get(accountPaths.home, async (ctx) => page(ctx, ctx.state.accountId as string));

  router.post(accountPaths.addEmail, form, async (ctx) => {
    const accountId = ctx.state.accountId as string;
    const body = ((ctx.request as { body?: Record<string, unknown> }).body ?? {}) as Record<string, unknown>;
    const input = typeof body.email === "string" ? body.email : "";
    try {
      const { address } = await deps.emails.add(accountId, input);
      await page(ctx, accountId, { notice: `We sent a link to ${address}. Open it to confirm the address; until then it stays unverified.` });
    } catch (error) {
      if (!(error instanceof FormError)) throw error;
      ctx.status = error.status;
      await page(ctx, accountId, { errors: error.fields, newEmail: input });
    }
  });

  router.post(accountPaths.emailAction, form, async (ctx) => {
    const accountId = ctx.state.accountId as string;
    const action = ctx.params.action as EmailAction;
    if (!emailActions.includes(action)) throw new AppError("accounts.unknown_action", "That action does not exist.", 404);
    const emailId = ctx.params.id!;
    try {
      const notice = await perform(action, accountId, emailId);
      await page(ctx, accountId, { notice });
    } catch (error) {
      if (!(error instanceof AppError) || !error.expose) throw error;
      ctx.status = error.status;
      await page(ctx, accountId, { notice: error.message });
    }
  });

  async function perform(action: EmailAction, accountId: string, emailId: string): Promise<string> {
    if (action === "primary") return `${(await deps.emails.makePrimary(accountId, emailId)).address} is now your primary address.`;
    if (action === "remove") return `${(await deps.emails.remove(accountId, emailId)).address} was removed from your account.`;
    return `We sent a new link to ${(await deps.emails.resendVerification(accountId, emailId)).address}.`;
  }

  return router;
}
