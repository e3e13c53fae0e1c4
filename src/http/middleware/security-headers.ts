/**
 * Headers for Tessera's own pages. The CSP allows no inline script or style: every page
 * loads its CSS and (rare) script from /assets. `form-action` is left out on purpose:
 * Chromium applies it to the redirects that follow a form post, which in an OP go to
 * relying parties' redirect URIs.
 */
import type { Middleware } from "koa";

const contentSecurityPolicy = [
  "default-src 'self'",
  "img-src 'self' data: https:",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "object-src 'none'",
].join("; ");

export function securityHeaders(): Middleware {
  return async (ctx, next) => {
    ctx.set("X-Content-Type-Options", "nosniff");
    // Same-origin only: links in Tessera's URLs (confirmation keys) never reach other sites.
    ctx.set("Referrer-Policy", "same-origin");
    ctx.set("X-Frame-Options", "DENY");
    await next();
    if (ctx.response.is("html")) ctx.set("Content-Security-Policy", contentSecurityPolicy);
  };
}
