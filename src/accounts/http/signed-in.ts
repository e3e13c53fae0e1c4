import type { DefaultState, Middleware } from "koa";
import type { PageContext, PageRouter } from "../../http/edge/index.js";
import type { SignedInSession } from "./session.js";

/** What every /account route knows once the visitor is signed in. */
export interface SignedIn {
  accountId: string;
}
export type AccountContext = PageContext<SignedIn>;
export type AccountRouter = PageRouter<SignedIn>;

/**
 * Lets only signed-in visitors through, with their account id in `ctx.state.accountId`;
 * anyone else is sent to sign in first (303). Every page of someone's own account
 * (/account, /account/billing, …) sits behind it.
 */
export function signedInOnly(session: SignedInSession): Middleware<DefaultState & SignedIn> {
  return async (ctx, next) => {
    const accountId = await session.accountId(ctx);
    if (!accountId) {
      ctx.status = 303;
      return ctx.redirect(session.signInUrl);
    }
    ctx.state.accountId = accountId;
    await next();
  };
}
