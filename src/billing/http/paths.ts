/** The billing pages, under the account. Views read them as `paths.billing.*`. */
export const billingPaths = {
  home: "/account/billing",
  subscribe: "/account/billing/subscribe",
  cancel: "/account/billing/cancel",
  renew: "/account/billing/renew",
  return: "/account/billing/return",
} as const;
