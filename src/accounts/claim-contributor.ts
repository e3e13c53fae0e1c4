/**
 * How a room adds claims of its own under a scope of its own (the billing room's `plan`
 * scope and claim, next) without touching the provider's configuration: it hands the
 * composition root a ClaimContributor, which src/oidc/claims.ts merges into the provider's
 * `claims` setting (OIDC Core §5.4: a scope is a set of claims) and into each account's
 * claims().
 */
export interface ClaimContributor {
  /** The scope a client asks for to receive these claims. */
  scope: string;
  /** The claim names released under the scope (OIDC Core §5.1 names are taken). */
  claims: readonly string[];
  /** What the scope shares, in words a person reads (consent and account pages). */
  description: string;
  /** The account's values for `claims`; only called when the scope or one of its claims is asked for. */
  resolve(accountId: string): Promise<Record<string, unknown>>;
}
