/**
 * The sign-in pages node-oidc-provider sends a browser to (its `interactions.url`). Views
 * read them as `paths.interaction.*`; login methods add theirs under the same prefix.
 */
export const interactionPaths = {
  interaction: "/interaction/:uid",
  abort: "/interaction/:uid/abort",
  consent: "/interaction/:uid/consent",
  resendVerification: "/interaction/:uid/resend-verification",
  continue: "/interaction/:uid/continue",
  terms: "/interaction/:uid/terms",
  switchAccount: "/interaction/:uid/switch-account",
  plan: "/interaction/:uid/plan",
} as const;
