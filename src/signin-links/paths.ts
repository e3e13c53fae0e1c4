/**
 * Where sign-in links live. The API is called by a client's backend; the pages by the
 * browser the link is given to. Views read the pages as `paths.signInLink.*`.
 */
export const signInLinkApiPath = "/api/sign-in-links";

export const signInLinkPaths = {
  /** The link itself: GET shows a page, only its POST uses the token. */
  link: "/sign-in-link/:token",
  /** First time: the address to confirm by mail. */
  email: "/sign-in-link/flow/:flow/email",
  /** "Confirm your details", then on to the client. */
  details: "/sign-in-link/flow/:flow/details",
} as const;
