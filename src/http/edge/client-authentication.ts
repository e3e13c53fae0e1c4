/**
 * Client authentication for Tessera's JSON APIs, done by node-oidc-provider's own chain —
 * the one its token endpoint runs (RFC 6749 §2.3, OIDC Core §9) — so a client authenticates
 * here exactly as it does at /token, with the methods the provider is configured for
 * (src/oidc/configuration.ts: client_secret_basic, client_secret_post, private_key_jwt):
 * the secret compared in constant time, an expired secret refused, a private_key_jwt
 * assertion checked for signature, exp, iss/sub and a single-use jti, and a request using
 * two mechanisms at once refused. `none` is refused too: a public client has nothing to
 * prove who is calling, and these APIs act for a client's backend.
 *
 * The chain is not part of the provider's documented API: we reach its module by path and
 * give it the provider's public OIDCContext. If an upgrade moves it, the import fails at
 * start, and test/http/api-edge.test.ts covers each method.
 */
import type { Context } from "koa";
import type Provider from "oidc-provider";
import { errors } from "oidc-provider";
import providerClientAuth from "oidc-provider/lib/shared/client_auth.js";

export type AuthenticatedClient = NonNullable<Awaited<ReturnType<Provider["Client"]["find"]>>>;

const credentialParams = ["client_id", "client_secret", "client_assertion", "client_assertion_type"] as const;

/** Runs the provider's middleware chain in order, each one calling the next. */
function runProviderChain(ctx: Context): Promise<unknown> {
  const step = (index: number): Promise<unknown> => {
    const middleware = providerClientAuth[index];
    return middleware ? Promise.resolve(middleware(ctx, () => step(index + 1))) : Promise.resolve();
  };
  return step(0);
}

/** The credentials the body carries, as the provider's own parameter parsing would pass them on. */
function credentials(body: unknown): Record<string, string | string[] | undefined> {
  const source = (body ?? {}) as Record<string, unknown>;
  const isText = (value: unknown): value is string | string[] =>
    typeof value === "string" || (Array.isArray(value) && value.every((item) => typeof item === "string"));
  return Object.fromEntries(credentialParams.map((name) => [name, isText(source[name]) ? source[name] : undefined]));
}

export function clientAuthentication(provider: Provider): (ctx: Context) => Promise<AuthenticatedClient> {
  return async (ctx) => {
    // A context of its own for the provider's chain: ctx.oidc stays off Tessera's context.
    const providerCtx = Object.create(ctx) as Context & { oidc: InstanceType<Provider["OIDCContext"]> & { params: unknown } };
    const oidc = new provider.OIDCContext(providerCtx);
    providerCtx.oidc = Object.assign(oidc, {
      params: credentials((ctx.request as { body?: unknown }).body),
      // RFC 7523 §3: the assertion's audience identifies this server — its issuer, its token
      // endpoint (as the provider accepts at /token) or the endpoint being called.
      clientJwtAuthExpectedAudience: () => new Set([provider.issuer, provider.urlFor("token"), `${provider.issuer}${ctx.path}`]),
    });
    await runProviderChain(providerCtx);
    const client = oidc.client;
    if (!client) throw new errors.InvalidClientAuth("no client after authentication");
    if (client.clientAuthMethod === "none") throw new errors.InvalidClientAuth("public clients cannot call this API");
    return client;
  };
}
