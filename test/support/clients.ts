/**
 * Registers relying parties the way an operator does: a row in the `client` table whose
 * `metadata` is the full node-oidc-provider client metadata (client_id and client_secret
 * included) and whose columns carry Tessera's policy (first party, verified email, cooloff,
 * organisation).
 */
import type { Tessera } from "../../src/server.js";

/** node-oidc-provider client metadata (RFC 7591 / OIDC Dynamic Registration names). */
export interface ClientMetadata {
  client_id: string;
  client_secret?: string;
  redirect_uris?: string[];
  post_logout_redirect_uris?: string[];
  response_types?: string[];
  grant_types?: string[];
  token_endpoint_auth_method?: "client_secret_basic" | "client_secret_post" | "private_key_jwt" | "none";
  token_endpoint_auth_signing_alg?: string;
  application_type?: "web" | "native";
  client_name?: string;
  scope?: string;
  jwks?: { keys: Record<string, unknown>[] };
  [name: string]: unknown;
}

/** The relying party's redirect URI: never fetched, the browser stops when it leaves Tessera. */
export const rpOrigin = "https://rp.example.test";
export const rpRedirectUri = `${rpOrigin}/cb`;
export const rpPostLogoutRedirectUri = `${rpOrigin}/logged-out`;

let counter = 0;

/** A client id unique within the test run, so the provider's client cache never serves a stale one. */
export function uniqueClientId(prefix: string): string {
  counter += 1;
  return `${prefix}-${process.pid}-${counter}`;
}

export async function registerClient(
  tessera: Pick<Tessera, "db">,
  metadata: ClientMetadata,
  options: {
    firstParty?: boolean;
    requireVerifiedEmail?: boolean;
    cooloffHours?: number;
    organisationId?: string;
    requiredPlan?: string;
    signInLinks?: boolean;
    signInLinkTargets?: string[];
  } = {},
): Promise<ClientMetadata> {
  const data = {
    metadata: metadata as object,
    firstParty: options.firstParty ?? false,
    requireVerifiedEmail: options.requireVerifiedEmail ?? false,
    cooloffHours: options.cooloffHours ?? null,
    requiredPlan: options.requiredPlan ?? null,
    signInLinks: options.signInLinks ?? false,
    signInLinkTargets: options.signInLinkTargets ?? [],
    ...(options.organisationId && { organisationId: options.organisationId }),
  };
  await tessera.db.prisma.client.upsert({
    where: { id: metadata.client_id },
    create: { id: metadata.client_id, ...data },
    update: data,
  });
  return metadata;
}

/** A confidential web client using the authorization code flow, with the defaults overridable. */
export function codeClient(overrides: Partial<ClientMetadata> = {}): ClientMetadata {
  return {
    client_id: uniqueClientId("code"),
    client_secret: `secret-${Math.random().toString(36).slice(2)}-${Date.now()}`,
    client_name: "Conformance RP",
    redirect_uris: [rpRedirectUri],
    post_logout_redirect_uris: [rpPostLogoutRedirectUri],
    response_types: ["code"],
    grant_types: ["authorization_code"],
    token_endpoint_auth_method: "client_secret_basic",
    ...overrides,
  };
}
