/**
 * What each OIDC scope shares, in words a person reads: on the consent pages and under
 * "Connected applications", so the account page reads like what the user agreed to.
 * Scopes that claim contributors add come with their own words.
 */
import type { ClaimContributor } from "./claim-contributor.js";

const words: Record<string, string> = {
  openid: "Who you are, so it recognises you when you come back",
  profile: "Your name",
  email: "Your email address, and whether it is confirmed",
  offline_access: "Access while you are away, until you revoke it",
};

export type ScopeWords = (scopes: string[]) => string[];

export function createScopeWords(contributors: readonly Pick<ClaimContributor, "scope" | "description">[]): ScopeWords {
  const all: Record<string, string> = { ...words, ...Object.fromEntries(contributors.map((contributor) => [contributor.scope, contributor.description])) };
  return (scopes) => scopes.map((scope) => all[scope] ?? scope);
}

/** The standard scopes' words alone. */
export const scopeWords: ScopeWords = createScopeWords([]);
