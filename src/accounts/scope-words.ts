/**
 * What each OIDC scope shares, in words a person reads: on the consent pages and under
 * "Connected applications", so the account page reads like what the user agreed to.
 */
const words: Record<string, string> = {
  openid: "Who you are, so it recognises you when you come back",
  profile: "Your name",
  email: "Your email address, and whether it is confirmed",
  offline_access: "Access while you are away, until you revoke it",
};

export function scopeWords(scopes: string[]): string[] {
  return scopes.map((scope) => words[scope] ?? scope);
}
