/** Builds the node-oidc-provider instance and routes its notable events to the log. */
import Provider, { type errors, type KoaContextWithOIDC } from "oidc-provider";
import { logSafePath, type Logger } from "../shared/index.js";
import { providerConfiguration, type ProviderDeps } from "./configuration.js";

export function createProvider(
  issuer: string,
  deps: ProviderDeps & { log: Logger; trustProxy: boolean; allowImplicitOnLocalhost: boolean },
): Provider {
  const provider = new Provider(issuer, providerConfiguration(deps));
  provider.proxy = deps.trustProxy;
  // The client is the last X-Forwarded-For entry, the one our proxy added (src/http/app.ts).
  provider.maxIpsCount = 1;
  if (deps.allowImplicitOnLocalhost) allowImplicitOnLocalhost(provider);
  const log = deps.log.child({ room: "oidc" });
  provider.on("server_error", (ctx, error) => log.error({ err: error, path: logSafePath(ctx.path) }, "provider server error"));
  const protocolError = (event: string) => (_ctx: KoaContextWithOIDC, error: errors.OIDCProviderError) =>
    log.info({ event, error: error.error, description: error.error_description }, "protocol error");
  provider.on("authorization.error", protocolError("authorization.error"));
  provider.on("grant.error", protocolError("grant.error"));
  provider.on("introspection.error", protocolError("introspection.error"));
  provider.on("revocation.error", protocolError("revocation.error"));
  provider.on("end_session.error", protocolError("end_session.error"));
  provider.on("userinfo.error", protocolError("userinfo.error"));
  provider.on("backchannel.error", (_ctx, error, client, accountId, sid) =>
    log.warn({ event: "backchannel.error", clientId: client.clientId, accountId, sid, err: error }, "back-channel logout delivery failed"),
  );
  return provider;
}

/**
 * Implicit and hybrid responses to http://localhost are forbidden for web clients (OIDC
 * Core §3.2.2.1 asks for https). Outside production we relax exactly these two checks so
 * the demo client can show every response type on a developer's machine — the recipe
 * node-oidc-provider documents for this case.
 */
function allowImplicitOnLocalhost(provider: Provider): void {
  const relaxed = new Set(["implicit-force-https", "implicit-forbid-localhost"]);
  const schema = (provider.Client as unknown as { Schema: { prototype: { invalidate(message: string, code?: string): void } } }).Schema;
  const { invalidate } = schema.prototype;
  schema.prototype.invalidate = function (message: string, code?: string) {
    if (code && relaxed.has(code)) return;
    invalidate.call(this, message, code);
  };
}
