/** The password method's routes, under the interaction. Views read them as `paths.passwordLogin.*`. */
export const passwordLoginPaths = {
  login: "/interaction/:uid/login",
  register: "/interaction/:uid/register",
} as const;
