/**
 * The "confirm your email" step, for clients that require a verified address. The link in
 * the mail resumes this sign-in when it is opened in the same browser (see resumeSignIn).
 */
import type { Context } from "koa";
import Provider, { errors } from "oidc-provider";
import type { AccountService, EmailService } from "../accounts/index.js";
import { TooManyLinksError } from "../confirmation/index.js";
import { clientDisplay, finishInteraction, type InteractionDetails } from "./interaction.js";
import { render } from "./render.js";

export async function showVerifyEmail(
  ctx: Context,
  provider: Provider,
  details: InteractionDetails,
  accounts: AccountService,
  notice?: { sent?: string; error?: string },
) {
  const account = details.session?.accountId ? await accounts.findById(details.session.accountId) : undefined;
  if (!account) throw new errors.SessionNotFound("the account of this sign-in is gone");
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
  const accountId = details.session?.accountId;
  const account = accountId ? await deps.accounts.findById(accountId) : undefined;
  const primary = account && (await deps.emails.list(account.id)).find((email) => email.primary);
  if (!account || !primary) throw new errors.SessionNotFound("the account of this sign-in is gone");
  try {
    const { address } = await deps.emails.resendVerification(account.id, primary.id);
    await showVerifyEmail(ctx, provider, details, deps.accounts, { sent: address });
  } catch (error) {
    if (!(error instanceof TooManyLinksError)) throw error;
    ctx.status = 429;
    await showVerifyEmail(ctx, provider, details, deps.accounts, { error: error.message });
  }
}

/**
 * After an address is confirmed: if this browser is in the middle of a sign-in waiting for
 * that account's address, finish the step so the sign-in continues. Answers whether it did.
 */
export async function resumeSignIn(provider: Provider, ctx: Context, accountId: string, waitingReason: string): Promise<boolean> {
  const details = await provider.interactionDetails(ctx.req, ctx.res).catch(() => undefined);
  if (!details || details.session?.accountId !== accountId || !details.prompt.reasons.includes(waitingReason)) return false;
  await finishInteraction(provider, ctx, { login: { accountId } });
  return true;
}
