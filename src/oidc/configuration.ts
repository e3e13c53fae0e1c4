/**
 * node-oidc-provider's configuration: which protocol features Tessera switches on, and
 * the hooks through which the provider reaches Tessera's accounts and pages.
 * Every choice that departs from the library's default says why.
 */
import { errors, type Adapter, type Configuration, type KoaContextWithOIDC, type ResponseType } from "oidc-provider";
import { claimsByScope, standardClaims, type AccountService, type ClaimContributor } from "../accounts/index.js";
import { clientSettingsMetadata } from "../clients/index.js";
import { contributedClaims, mergedClaimsByScope } from "./claims.js";
import type { KeyMaterial } from "./keys.js";
import { grantForFirstPartyClient } from "./first-party-grant.js";
import { successSource, userCodeConfirmSource, userCodeInputSource } from "./device-pages.js";
import { logoutSource, postLogoutSuccessSource, renderError } from "./pages.js";
import { registrationPolicy, registrationPolicyName } from "./registration-policy.js";
import type { resourceServerLookup } from "./resource-servers.js";
import { createPolicy, type PolicyDeps } from "./policy.js";

export interface ProviderDeps {
  keys: KeyMaterial;
  adapter: (name: string) => Adapter;
  resourceServer: ReturnType<typeof resourceServerLookup>;
  accounts: AccountService;
  policy: PolicyDeps;
  secureCookies: boolean;
  /** Claims other rooms add under scopes of their own (src/oidc/claims.ts). */
  claimContributors: readonly ClaimContributor[];
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
/** After this, a user signs in again whatever the client did (refresh tokens cannot live forever). */
export const refreshTokenAbsoluteLifetime = 90 * day;

export function providerConfiguration(deps: ProviderDeps): Configuration {
  return {
    adapter: deps.adapter,
    jwks: deps.keys.jwks as Configuration["jwks"],
    cookies: {
      keys: deps.keys.cookieKeys,
      long: { httpOnly: true, sameSite: "lax", secure: deps.secureCookies, signed: true },
      short: { httpOnly: true, sameSite: "lax", secure: deps.secureCookies, signed: true },
    },
    claims: mergedClaimsByScope(claimsByScope, deps.claimContributors),
    // ssf.read / ssf.manage: client_credentials tokens for the Shared Signals stream
    // endpoints (CAEP interoperability profile). Listed so a client whose metadata limits
    // its `scope` cannot ask for them unless they are in that list.
    scopes: ["openid", "offline_access", "profile", "email", "ssf.read", "ssf.manage", ...deps.claimContributors.map((contributor) => contributor.scope)],
    responseTypes,
    clientAuthMethods: ["client_secret_basic", "client_secret_post", "private_key_jwt", "none"],
    // RFC 7636 for every public client (they cannot keep a secret, so the code needs a binding).
    pkce: { required: (_ctx, client) => client.clientAuthMethod === "none" },
    async findAccount(_ctx, sub) {
      const account = await deps.accounts.findById(sub);
      if (!account) return undefined;
      return {
        accountId: account.id,
        claims: async (_use, scope, requested) => ({
          ...(await contributedClaims(deps.claimContributors, account.id, scope, { ...requested })),
          ...standardClaims(account),
          sub: account.id,
        }),
      };
    },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      // RFC 7662 §4: only the client a token was issued to may learn about it.
      introspection: { enabled: true, allowedPolicy: async (_ctx, client, token) => token.clientId === client.clientId },
      revocation: { enabled: true },
      userinfo: { enabled: true },
      rpInitiatedLogout: { enabled: true, logoutSource, postLogoutSuccessSource },
      // OpenID Connect Back-Channel Logout 1.0: clients with backchannel_logout_uri get a
      // signed logout token when a session ends.
      backchannelLogout: { enabled: true },
      // RFC 8628, for devices without a browser.
      deviceFlow: { enabled: true, userCodeInputSource, userCodeConfirmSource, successSource },
      // RFC 9126 and RFC 9449 are on by default in node-oidc-provider 9; stated for the reader.
      pushedAuthorizationRequests: { enabled: true },
      dPoP: { enabled: true },
      // RFC 9101 request objects, by value and by reference (PAR).
      requestObjects: { enabled: true },
      // OIDC Core §5.5: clients may ask for individual (essential) claims.
      claimsParameter: { enabled: true },
      resourceIndicators: {
        enabled: true,
        getResourceServerInfo: deps.resourceServer,
        // A token for a resource server only when one is asked for; else an opaque token for userinfo.
        defaultResource: async (_ctx, _client, oneOf) => oneOf,
        useGrantedResource: async () => true,
      },
      // RFC 7591/7592, only with an initial access token the operator issues (CLI).
      registration: { enabled: true, initialAccessToken: true, policies: { [registrationPolicyName]: registrationPolicy } },
      registrationManagement: { enabled: true },
    },
    // Tessera's client settings, each validated by its descriptor's type (src/clients/).
    extraClientMetadata: {
      properties: [...clientSettingsMetadata.names],
      validator(_ctx, key, value) {
        const problem = clientSettingsMetadata.problem(key, value);
        if (problem) throw new errors.InvalidClientMetadata(problem);
      },
    },
    loadExistingGrant: grantForFirstPartyClient,
    // Rotate on every use so a stolen refresh token is noticed at its thief's first use.
    rotateRefreshToken: true,
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}`, policy: createPolicy(deps.policy) },
    renderError: (ctx, out, error) => renderError(ctx, out, error, deps.adapter),
    ttl: {
      // A registered resource server's own lifetime wins (RFC 8707 tokens).
      AccessToken: (_ctx: KoaContextWithOIDC, token) => token.resourceServer?.accessTokenTTL ?? hour,
      AuthorizationCode: minute,
      ClientCredentials: (_ctx: KoaContextWithOIDC, token) => token.resourceServer?.accessTokenTTL ?? 10 * minute,
      DeviceCode: 10 * minute,
      IdToken: hour,
      Interaction: hour,
      // A grant outlives the refresh tokens issued from it, or they would die with it early.
      Grant: refreshTokenAbsoluteLifetime,
      Session: 14 * day,
      RefreshToken: (_ctx: KoaContextWithOIDC, token, client) => {
        // Sliding: each rotation gets a fresh lifetime, short for public clients (a bearer
        // secret in a browser). Absolute: never beyond 90 days after the first one was issued.
        const sliding = client.clientAuthMethod === "none" ? day : 14 * day;
        const now = Math.floor(deps.policy.clock.now().getTime() / 1000);
        const remaining = (token.iiat ?? now) + refreshTokenAbsoluteLifetime - now;
        return Math.max(1, Math.min(sliding, remaining));
      },
    },
  };
}
