/**
 * The wallet method's routes, under the interaction (so the interaction's cookie comes
 * along). Views read them as `paths.walletLogin.*`. `signUp` is a page; the others are the
 * JSON API the page's script (or a script-driven front end of the operator's) calls.
 */
export const walletLoginPaths = {
  signUp: "/interaction/:uid/wallet/new",
  challenge: "/interaction/:uid/wallet/challenge",
  signIn: "/interaction/:uid/wallet/sign-in",
  signUpApi: "/interaction/:uid/wallet/sign-up",
} as const;
