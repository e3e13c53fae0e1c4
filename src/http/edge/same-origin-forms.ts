/**
 * Refuses cross-site form posts to Tessera's own pages (CSRF). Browsers say where a request
 * comes from in Sec-Fetch-Site (and Origin, in older ones); a post from another site is
 * refused whatever cookies it carries. Pages must not use Referrer-Policy no-referrer, or
 * browsers send "Origin: null" even for their own forms. Requests without either header
 * come from non-browser clients, which cannot ride a user's cookies; the SameSite=Lax
 * cookies cover old browsers. Only the browser-pages edge runs it: the provider's endpoints
 * and the JSON APIs are called cross-origin by design and authenticate their callers.
 */
import type { Middleware } from "koa";
import { AppError, logSafePath } from "../../shared/index.js";

const unsafeMethods = new Set(["POST", "PUT", "PATCH", "DELETE"]);

export function sameOriginForms(issuer: string): Middleware {
  const origin = new URL(issuer).origin;
  return async (ctx, next) => {
    if (unsafeMethods.has(ctx.method)) {
      const claimed = ctx.get("origin");
      const site = ctx.get("sec-fetch-site");
      // Sec-Fetch-Site is the precise signal where a browser sends it; Origin otherwise.
      const crossSite = site ? site !== "same-origin" && site !== "none" : Boolean(claimed) && claimed !== origin;
      if (crossSite) {
        ctx.state.log.warn({ origin: claimed, site, path: logSafePath(ctx.path) }, "cross-site form post refused");
        throw new AppError(
          "http.cross_site_form",
          "This form was sent from another website, so Tessera ignored it. If you meant to do this, open the page on Tessera and send the form from there.",
          403,
        );
      }
    }
    await next();
  };
}
