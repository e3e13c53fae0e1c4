/**
 * Resolves a bearer access token issued by the client_credentials grant (an opaque
 * ClientCredentials token) to its client and scopes, for Tessera's own client-facing APIs
 * (the Shared Signals stream endpoints). Expired, revoked or unknown tokens, and tokens
 * issued for a resource server, resolve to nothing.
 */
import type Provider from "oidc-provider";

export function clientCredentialsBearer(provider: Provider) {
  return async (token: string): Promise<{ clientId: string; scopes: Set<string> } | undefined> => {
    const found = await provider.ClientCredentials.find(token);
    if (!found?.clientId || found.resourceServer) return undefined;
    return { clientId: found.clientId, scopes: new Set((found.scope ?? "").split(" ").filter(Boolean)) };
  };
}
