/**
 * Headers for every response, Tessera's own pages and the provider's alike (ASVS 5.0
 * 3.4.x). They are set before anything else runs because the provider answers on the raw
 * response (http/app.ts hands it over with `respond = false`): a header added after `next()`
 * would come too late for its pages (errors, logout, device flow, form_post).
 *
 * The CSP allows no inline script or style: every page loads its CSS and (rare) script from
 * /assets. The one inline script is the provider's form_post auto-submit, and the provider
 * allows it itself: when the response already carries a `script-src`, it appends the
 * sha256 of exactly the script it writes (oidc-provider lib/helpers/script_src_sha.js) —
 * hence an explicit `script-src` here. `form-action` is left out on purpose: Chromium
 * applies it to the redirects that follow a form post, which in an OP go to relying
 * parties' redirect URIs.
 */
import type { Middleware } from "koa";

export const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: https:",
  // ASVS 3.4.6: no page of an identity provider may be framed (clickjacking of consent).
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "object-src 'none'",
].join("; ");

/** A year, the least ASVS 3.4.1 accepts. */
const hstsMaxAgeSeconds = 365 * 24 * 60 * 60;

export function securityHeaders(options: { hsts: boolean; assetsPrefix: string }): Middleware {
  return async (ctx, next) => {
    ctx.set("X-Content-Type-Options", "nosniff");
    // ASVS 3.4.5: other sites learn at most Tessera's origin, never a path carrying a
    // confirmation key. Not no-referrer: with it browsers send "Origin: null" on Tessera's
    // own forms, which the same-origin form check relies on (edge/same-origin-forms.ts).
    ctx.set("Referrer-Policy", "strict-origin");
    ctx.set("X-Frame-Options", "DENY");
    ctx.set("Content-Security-Policy", contentSecurityPolicy);
    // Pages show addresses, forms with a user's input and one-time values: no cache may keep
    // them (RFC 9111 §5.2.2.5). Static assets get their own max-age where they are served.
    if (!ctx.path.startsWith(options.assetsPrefix)) ctx.set("Cache-Control", "no-store");
    // Production only: a developer's http://localhost must not be pinned to https.
    if (options.hsts) ctx.set("Strict-Transport-Security", `max-age=${hstsMaxAgeSeconds}; includeSubDomains`);
    await next();
  };
}
