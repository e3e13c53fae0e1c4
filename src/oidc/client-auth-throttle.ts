/**
 * Throttled client authentication at the provider's client-authenticated endpoints (token,
 * introspection, revocation, device authorization, pushed authorization requests): failed
 * attempts are counted (src/security), and once over the limit an attempt is refused before
 * the provider checks any secret or assertion.
 *
 * How, without forking the provider: node-oidc-provider looks the client up (Client.find,
 * which goes through client-cache.ts) right before it checks the credentials, inside its
 * request context (`Provider.ctx`, its AsyncLocalStorage). The lookup asks `beforeLookup`
 * first, whether the client is cached or not. The
 * provider's `*.error` events name the attempts that failed authentication
 * (InvalidClientAuth); every other attempt gives its places back as the request ends.
 *
 * A refusal answers in the shape of RFC 6749 §5.2: `invalid_client` (the client was not
 * authenticated, and a client library knows to stop rather than retry at once), with HTTP
 * 429 and Retry-After (RFC 6585 §4) saying when to try again. `slow_down` (RFC 8628 §3.5)
 * belongs to device-code polling and `temporarily_unavailable` to the authorization
 * endpoint; neither is a token endpoint error.
 */
import Provider, { errors, type KoaContextWithOIDC } from "oidc-provider";
import type { Attempt, ClientAuthThrottle } from "../security/index.js";
import { TooManyRequestsError } from "../shared/index.js";

const routes = ["token", "introspection", "revocation", "device_authorization", "pushed_authorization_request"] as const;

class ClientAuthThrottled extends errors.OIDCProviderError {
  constructor(description: string) {
    super(429, "invalid_client");
    Object.assign(this, { error_description: description });
  }
}

export interface ClientAuthGuard {
  /** Called before every client lookup (client-cache.ts). */
  beforeLookup(clientId: string): Promise<void>;
  /** Counts failures from the provider's events and forgives the rest. */
  attach(provider: Provider): void;
}

export function clientAuthGuard(throttle: ClientAuthThrottle): ClientAuthGuard {
  const attempts = new WeakMap<object, Attempt>();
  const failed = new WeakSet<object>();
  const authenticating = new Set<string>(routes);

  return {
    async beforeLookup(clientId) {
      const ctx = (Provider as unknown as { ctx?: KoaContextWithOIDC }).ctx;
      // Only the lookup that authenticates the caller: introspection looks up the token's
      // client too, after the caller is known.
      if (!ctx?.oidc || !authenticating.has(ctx.oidc.route) || ctx.oidc.client || attempts.has(ctx)) return;
      try {
        attempts.set(ctx, await throttle.attempt(clientId, ctx.ip));
      } catch (error) {
        if (!(error instanceof TooManyRequestsError)) throw error;
        ctx.set("Retry-After", String(error.retryAfterSeconds));
        throw new ClientAuthThrottled(error.message);
      }
    },
    attach(provider) {
      const countFailure = (ctx: KoaContextWithOIDC, error: unknown) => {
        if (error instanceof errors.InvalidClientAuth) failed.add(ctx);
      };
      provider.on("grant.error", countFailure);
      provider.on("introspection.error", countFailure);
      provider.on("revocation.error", countFailure);
      provider.on("device_authorization.error", countFailure);
      provider.on("pushed_authorization_request.error", countFailure);
      provider.use(async (ctx, next) => {
        await next();
        const attempt = attempts.get(ctx);
        if (attempt && !failed.has(ctx)) await attempt.forgive();
      });
    },
  };
}
