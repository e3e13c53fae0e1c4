/** The accounts room's pages. Views read them as `paths.account.*` and `paths.password.*`. */
export const accountPaths = {
  home: "/account",
  profile: "/account/profile",
  password: "/account/password",
  addEmail: "/account/emails",
  emailAction: "/account/emails/:id/:action",
  withdrawConsent: "/account/organisations/:id/withdraw",
  revokeApplication: "/account/applications/:clientId/revoke",
  endSession: "/account/sessions/:handle/end",
  deleteAccount: "/account/delete",
} as const;

export const passwordPaths = { forgot: "/password/forgot" } as const;
