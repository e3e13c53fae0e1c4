/**
 * The issuer in the settings is the only truth about Tessera's host. node-oidc-provider
 * builds every endpoint URL it publishes (discovery, form actions, redirects to its own
 * pages) from the request's host, so a forged `Host` (or, behind a trusted proxy,
 * `X-Forwarded-Host`) would otherwise make discovery advertise an attacker's token and
 * authorization endpoints, or poison a cache in front of Tessera.
 *
 * The host is rewritten rather than refused: health probes and processes on the same
 * network reach Tessera by an internal address, and they deserve an answer too — one that
 * names the issuer's URLs, whatever address they used.
 */
import type { Middleware } from "koa";

export function issuerHost(issuer: string): Middleware {
  const host = new URL(issuer).host;
  return async (ctx, next) => {
    const headers = ctx.req.headers;
    headers.host = host;
    // Koa (with proxy trust) prefers X-Forwarded-Host, the provider's Koa app too.
    if (headers["x-forwarded-host"] !== undefined) headers["x-forwarded-host"] = host;
    await next();
  };
}
