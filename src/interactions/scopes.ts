/** What each scope shares, in words a person reads on a consent page. */
const scopeDescriptions: Record<string, string> = {
  openid: "Who you are, so it recognises you when you come back",
  profile: "Your name",
  email: "Your email address, and whether it is confirmed",
  offline_access: "Access while you are away, until you revoke it",
};

export function describeScopes(scopes: string[]): string[] {
  return scopes.map((scope) => scopeDescriptions[scope] ?? scope);
}
