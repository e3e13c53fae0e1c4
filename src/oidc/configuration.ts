/**
 * node-oidc-provider's configuration: which protocol features Tessera switches on, and
 * the hooks through which the provider reaches Tessera's accounts and pages.
 * Every choice that departs from the library's default says why.
 */
import type { Adapter, Configuration, KoaContextWithOIDC, ResponseType } from "oidc-provider";
import { claimsByScope, standardClaims, type AccountService } from "../accounts/index.js";
import type { KeyMaterial } from "./keys.js";
import { tesseraClientMetadata } from "./client-metadata.js";
import { grantForFirstPartyClient } from "./first-party-grant.js";
import { logoutSource, postLogoutSuccessSource, renderError } from "./pages.js";
import { createPolicy, type PolicyDeps } from "./policy.js";

export interface ProviderDeps {
  keys: KeyMaterial;
  adapter: (name: string) => Adapter;
  accounts: AccountService;
  policy: PolicyDeps;
  secureCookies: boolean;
}

/**
 * Every response type node-oidc-provider supports. Plain `token` is not among them: the
 * library refuses it (RFC 9700 §2.1.2 — the implicit grant leaks access tokens), so such
 * requests get `unsupported_response_type`.
 */
export const responseTypes: ResponseType[] = ["code", "id_token", "id_token token", "code id_token", "code token", "code id_token token", "none"];

const minute = 60;
const hour = 60 * minute;
const day = 24 * hour;

export function providerConfiguration(deps: ProviderDeps): Configuration {
  return {
    adapter: deps.adapter,
    jwks: deps.keys.jwks as Configuration["jwks"],
    cookies: {
      keys: deps.keys.cookieKeys,
      long: { httpOnly: true, sameSite: "lax", secure: deps.secureCookies, signed: true },
      short: { httpOnly: true, sameSite: "lax", secure: deps.secureCookies, signed: true },
    },
    claims: claimsByScope as unknown as Configuration["claims"],
    scopes: ["openid", "offline_access", "profile", "email"],
    responseTypes,
    clientAuthMethods: ["client_secret_basic", "client_secret_post", "private_key_jwt", "none"],
    // RFC 7636 for every public client (they cannot keep a secret, so the code needs a binding).
    pkce: { required: (_ctx, client) => client.clientAuthMethod === "none" },
    async findAccount(_ctx, sub) {
      const account = await deps.accounts.findById(sub);
      if (!account) return undefined;
      return { accountId: account.id, claims: async () => standardClaims(account) as { sub: string } };
    },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      // RFC 7662 §4: only the client a token was issued to may learn about it.
      introspection: { enabled: true, allowedPolicy: async (_ctx, client, token) => token.clientId === client.clientId },
      revocation: { enabled: true },
      userinfo: { enabled: true },
      rpInitiatedLogout: { enabled: true, logoutSource, postLogoutSuccessSource },
    },
    extraClientMetadata: {
      properties: [...tesseraClientMetadata],
      validator(_ctx, key, value) {
        if (value === undefined) return;
        if (key === "cooloff_hours") {
          if (typeof value !== "number" || !Number.isInteger(value) || value < 0) throw new TypeError("cooloff_hours must be a non-negative whole number");
        } else if (key === "organisation_id") {
          if (typeof value !== "string") throw new TypeError("organisation_id must be a string");
        } else if (typeof value !== "boolean") {
          throw new TypeError(`${key} must be a boolean`);
        }
      },
    },
    loadExistingGrant: grantForFirstPartyClient,
    // Rotate on every use so a stolen refresh token is noticed at its thief's first use.
    rotateRefreshToken: true,
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}`, policy: createPolicy(deps.policy) },
    renderError,
    ttl: {
      AccessToken: hour,
      AuthorizationCode: minute,
      ClientCredentials: 10 * minute,
      IdToken: hour,
      Interaction: hour,
      Grant: 14 * day,
      Session: 14 * day,
      RefreshToken: (ctx: KoaContextWithOIDC, token) =>
        // Public clients' refresh tokens are bearer secrets in a browser: keep them short.
        token.clientId && ctx.oidc.client?.clientAuthMethod === "none" ? day : 14 * day,
    },
  };
}
