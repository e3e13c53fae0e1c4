/**
 * First-party clients (run by the operator) skip the consent screen: their grant is
 * created on the fly for exactly what they asked for. Everyone else goes through the
 * provider's default: the grant the user consented to earlier in this session, if any.
 */
import type { KoaContextWithOIDC } from "oidc-provider";

export async function grantForFirstPartyClient(ctx: KoaContextWithOIDC) {
  const { client, session, params, provider } = ctx.oidc;
  if (!client || !session || !params) return undefined;
  const grantId = ctx.oidc.result?.consent?.grantId ?? session.grantIdFor(client.clientId);
  const existing = grantId ? await provider.Grant.find(grantId) : undefined;
  if (!client.first_party || !session.accountId) return existing;

  const grant = existing ?? new provider.Grant({ clientId: client.clientId, accountId: session.accountId });
  if (typeof params.scope === "string") grant.addOIDCScope(params.scope);
  const claims = typeof params.claims === "string" ? parseClaimsParameter(params.claims) : undefined;
  if (claims) grant.addOIDCClaims(claims);
  // Resource servers asked for (RFC 8707): the requested scopes each of them accepts.
  const requested = new Set(typeof params.scope === "string" ? params.scope.split(" ") : []);
  for (const [indicator, server] of Object.entries(ctx.oidc.resourceServers ?? {})) {
    const accepted = (server.scope ?? "").split(" ").filter((scope) => requested.has(scope));
    if (accepted.length) grant.addResourceScope(indicator, accepted.join(" "));
  }
  await grant.save();
  return grant;
}

function parseClaimsParameter(value: string): string[] {
  try {
    const parsed = JSON.parse(value) as Record<string, Record<string, unknown> | undefined>;
    return [...Object.keys(parsed.id_token ?? {}), ...Object.keys(parsed.userinfo ?? {})];
  } catch {
    return [];
  }
}
