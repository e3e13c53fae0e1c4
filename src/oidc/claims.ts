/**
 * Claims from contributors (accounts/claim-contributor.ts) next to the standard ones: their
 * scopes become provider scopes, their claims part of the provider's `claims` setting, and
 * an account's claims() asks a contributor only when its scope was granted or one of its
 * claims was requested by name (the claims parameter, OIDC Core §5.5). The provider itself
 * then releases only what the token's scope and claims allow.
 */
import type { ClaimContributor } from "../accounts/index.js";

type ClaimsByScope = Readonly<Record<string, readonly string[]>>;

/** The provider's `claims` setting: the standard scopes' claims and each contributor's. */
export function mergedClaimsByScope(standard: ClaimsByScope, contributors: readonly ClaimContributor[]): Record<string, string[]> {
  const merged: Record<string, string[]> = Object.fromEntries(Object.entries(standard).map(([scope, claims]) => [scope, [...claims]]));
  const taken = new Set(Object.values(standard).flat());
  for (const contributor of contributors) {
    if (merged[contributor.scope]) throw new TypeError(`claim contributor scope ${contributor.scope} is already defined`);
    for (const claim of contributor.claims) {
      if (taken.has(claim)) throw new TypeError(`claim ${claim} of scope ${contributor.scope} is already released under another scope`);
      taken.add(claim);
    }
    merged[contributor.scope] = [...contributor.claims];
  }
  return merged;
}

/** The values of every contributor asked for by `scope` (space-separated) or by `requested` claim names. */
export async function contributedClaims(
  contributors: readonly ClaimContributor[],
  accountId: string,
  scope: string | undefined,
  requested: Readonly<Record<string, unknown>> | undefined,
): Promise<Record<string, unknown>> {
  const scopes = new Set((scope ?? "").split(" "));
  const asked = contributors.filter((contributor) => scopes.has(contributor.scope) || contributor.claims.some((claim) => requested?.[claim] !== undefined));
  const values = await Promise.all(asked.map(async (contributor) => pick(await contributor.resolve(accountId), contributor.claims)));
  return Object.assign({}, ...values) as Record<string, unknown>;
}

/** Only the claims a contributor declared, whatever else its resolve returned. */
function pick(values: Record<string, unknown>, claims: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(claims.filter((claim) => values[claim] !== undefined).map((claim) => [claim, values[claim]]));
}
