/** How account pages learn who is signed in; implemented over the provider's session. */
import type { Context } from "koa";

export interface SignedInSession {
  /** The signed-in account's id, or undefined. */
  accountId(ctx: Context): Promise<string | undefined>;
  /** The id of this browser's session, if it has one. */
  sessionId(ctx: Context): Promise<string | undefined>;
  /** Where to send a visitor who must sign in first. */
  signInUrl: string;
  /** Where "Sign out" goes. */
  signOutUrl: string;
}
