/** The password method's routes, under the interaction. Views read them as `paths.passwordLogin.*`. */
export const passwordLoginPaths = {
  login: "/interaction/:uid/login",
  register: "/interaction/:uid/register",
  /** "Check your email", after a registration (post/redirect/get). */
  registerSent: "/interaction/:uid/register/sent",
  registerResend: "/interaction/:uid/register/resend",
  /** Where the registration link sends the browser that registered, once the account exists. */
  registered: "/interaction/:uid/register/continue",
} as const;
