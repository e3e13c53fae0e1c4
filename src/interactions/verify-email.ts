/**
 * The "confirm your email" step, for clients that require a verified address. The link in
 * the mail resumes this sign-in when it is opened in the same browser (see resumeSignIn).
 */
import type { Context } from "koa";
import type Provider from "oidc-provider";
import { errors } from "oidc-provider";
import type { AccountService, EmailService } from "../accounts/index.js";
import { TooManyLinksError } from "../confirmation/index.js";
import { tesseraReasons } from "../oidc/index.js";
import { clientDisplay, finishInteraction, type InteractionDetails } from "./interaction.js";
import { render } from "./render.js";

/**
 * Shows the step — or, when the address was confirmed meanwhile (in another browser), lets
 * the sign-in continue instead of asking for what is already done.
 */
export async function showVerifyEmail(
  ctx: Context,
  provider: Provider,
  details: InteractionDetails,
  deps: { accounts: AccountService },
  notice?: { sent?: string; error?: string },
) {
  const account = await accountOf(details, deps.accounts);
  if (account.primaryEmail?.verified) return finishInteraction(provider, ctx, { login: { accountId: account.id } });
  await render(ctx, "interactions/verify-email", {
    title: "Confirm your email",
    uid: details.uid,
    application: await clientDisplay(provider, details.params.client_id),
    address: account.primaryEmail?.address,
    sent: notice?.sent,
    notice: notice?.error,
  });
}

export async function resendVerification(
  ctx: Context,
  provider: Provider,
  details: InteractionDetails,
  deps: { accounts: AccountService; emails: EmailService },
) {
  const account = await accountOf(details, deps.accounts);
  const primary = (await deps.emails.list(account.id)).find((email) => email.primary);
  if (!primary || primary.verified) return showVerifyEmail(ctx, provider, details, deps);
  try {
    const { address } = await deps.emails.resendVerification(account.id, primary.id);
    await showVerifyEmail(ctx, provider, details, deps, { sent: address });
  } catch (error) {
    if (!(error instanceof TooManyLinksError)) throw error;
    ctx.status = 429;
    await showVerifyEmail(ctx, provider, details, deps, { error: error.message });
  }
}

async function accountOf(details: InteractionDetails, accounts: AccountService) {
  const account = details.session?.accountId ? await accounts.findById(details.session.accountId) : undefined;
  if (!account) throw new errors.SessionNotFound("the account of this sign-in is gone");
  return account;
}

/**
 * After an address is confirmed: if this browser has a sign-in waiting for that account's
 * address, send it there to continue. Answers whether it did.
 */
export async function resumeSignIn(ctx: Context, waitingUid: string | undefined): Promise<boolean> {
  if (!waitingUid) return false;
  ctx.status = 303;
  ctx.redirect(`/interaction/${waitingUid}/continue`);
  return true;
}

/** /interaction/:uid/continue — where a confirmed link sends the waiting browser. */
export async function continueAfterVerification(ctx: Context, provider: Provider, details: InteractionDetails, accounts: AccountService) {
  if (details.prompt.reasons.includes(tesseraReasons.emailNotVerified)) return showVerifyEmail(ctx, provider, details, { accounts });
  ctx.status = 303;
  ctx.redirect(`/interaction/${details.uid}`);
}
