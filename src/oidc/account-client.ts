/**
 * Tessera's own account pages sign users in like any relying party, through a built-in
 * first-party client that asks for nothing (response_type=none): the visit only needs the
 * provider session that the sign-in leaves behind.
 */
import type { Context } from "koa";
import type Provider from "oidc-provider";
import type { SignedInSession } from "../accounts/index.js";
import type { PrismaClient } from "../db/index.js";

export const accountClientId = "tessera-account";

export function accountClient(issuer: string) {
  return {
    redirectUri: `${issuer}/account`,
    signInUrl: `/auth?${new URLSearchParams({ client_id: accountClientId, response_type: "none", scope: "openid", redirect_uri: `${issuer}/account` })}`,
    // No post_logout_redirect_uri: signing out ends on the provider's "You are signed out"
    // page (pages.ts), which offers to sign in again, rather than on a page that looks as
    // if nothing happened.
    signOutUrl: `/session/end?${new URLSearchParams({ client_id: accountClientId })}`,
  };
}

export async function seedAccountClient(prisma: PrismaClient, issuer: string): Promise<void> {
  const client = accountClient(issuer);
  const metadata = {
    client_id: accountClientId,
    client_name: "Your Tessera account",
    token_endpoint_auth_method: "none",
    response_types: ["none"],
    grant_types: [],
    redirect_uris: [client.redirectUri],
    post_logout_redirect_uris: [`${issuer}/`],
  };
  await prisma.client.upsert({
    where: { id: accountClientId },
    create: { id: accountClientId, metadata, firstParty: true },
    update: { metadata, firstParty: true },
  });
}

/** The signed-in account, read from the provider's session cookie. */
export function providerSession(provider: Provider, client: ReturnType<typeof accountClient>): SignedInSession {
  return {
    async accountId(ctx: Context) {
      const session = await provider.Session.get(ctx as never);
      return session.accountId;
    },
    async sessionId(ctx: Context) {
      const session = await provider.Session.get(ctx as never);
      return session.accountId ? session.jti : undefined;
    },
    signInUrl: client.signInUrl,
    signOutUrl: client.signOutUrl,
  };
}
