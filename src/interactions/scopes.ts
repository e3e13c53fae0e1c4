/** What each scope shares, in words a person reads on a consent page. */
const scopeDescriptions: Record<string, string> = {
  openid: "Know who you are when you come back",
  profile: "Your name",
  email: "Your email address and whether it is verified",
  offline_access: "Stay connected when you are not using it",
};

export function describeScopes(scopes: string[]): string[] {
  return scopes.map((scope) => scopeDescriptions[scope] ?? scope);
}
