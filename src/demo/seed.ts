/**
 * The demo client a newcomer signs in with: a confidential client whose redirect URI is
 * Tessera's own /demo/callback page, allowed every response type so each can be tried. Its
 * secret is stored sealed, as every client's is (src/oidc/client-secrets.ts).
 */
import type { PrismaClient } from "../db/index.js";
import { responseTypes, type ClientSecrets } from "../oidc/index.js";

export const demoClientId = "demo";
export const demoCallbackPath = "/demo/callback";

export async function seedDemoClient(prisma: PrismaClient, issuer: string, secret: string, secrets: ClientSecrets): Promise<void> {
  const metadata = secrets.seal(demoClientId, {
    client_id: demoClientId,
    client_secret: secret,
    client_name: "Tessera demo",
    redirect_uris: [`${issuer}${demoCallbackPath}`],
    post_logout_redirect_uris: [`${issuer}/`],
    response_types: responseTypes,
    grant_types: ["authorization_code", "implicit", "refresh_token", "client_credentials"],
    token_endpoint_auth_method: "client_secret_basic",
    scope: "openid profile email offline_access",
  });
  await prisma.client.upsert({
    where: { id: demoClientId },
    // The demo shows the whole sign-up, confirmation mail included (see /dev/outbox).
    create: { id: demoClientId, metadata, requireVerifiedEmail: true },
    update: { metadata, requireVerifiedEmail: true },
  });
}
