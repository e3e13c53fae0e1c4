/**
 * Standard claims (OIDC Core §5.1) for the scopes Tessera supports. `email_verified` is
 * honest: true only once the address has been confirmed.
 */
import type { Account } from "./types.js";

export const claimsByScope = {
  openid: ["sub"],
  profile: ["name"],
  email: ["email", "email_verified"],
} as const;

export function standardClaims(account: Account): Record<string, unknown> {
  return {
    sub: account.id,
    name: account.name,
    email: account.primaryEmail?.address,
    email_verified: account.primaryEmail?.verified ?? false,
  };
}
