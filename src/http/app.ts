/**
 * The Koa application: Tessera's own routes first (mounted through the edge, by audience),
 * then everything else to node-oidc-provider, which is itself a Koa app and answers on the
 * raw request.
 */
import Koa, { type Middleware } from "koa";
import serve from "koa-static";
import type Provider from "oidc-provider";
import type { Logger } from "../shared/index.js";
import { brandLocals, type BrandAssets } from "./brand.js";
import { errorPages } from "./middleware/errors.js";
import { issuerHost } from "./middleware/issuer-host.js";
import { refuseNulInBodyStream, refuseNulInUrl } from "./middleware/nul-bytes.js";
import { requestContext } from "./middleware/request-context.js";
import { securityHeaders } from "./middleware/security-headers.js";
import { publicDir, viewRenderer } from "./views.js";

const assetsPrefix = "/assets/";

export function createApp(deps: { provider: Provider; routes: Middleware[]; log: Logger; issuer: string; trustProxy: boolean; hsts: boolean; brand: BrandAssets }): Koa {
  // Behind a proxy, the client is the address the proxy saw: the last X-Forwarded-For entry.
  // Earlier ones are whatever the client sent (proxies append), so trusting the first would
  // let anyone pick their address and escape per-IP throttling.
  const app = new Koa({ proxy: deps.trustProxy, maxIpsCount: 1 });
  // The provider renders its error and logout pages with the same views and brand.
  deps.provider.use(brandLocals(deps.brand.view));
  deps.provider.use(viewRenderer());

  app.use(requestContext(deps.log));
  app.use(issuerHost(deps.issuer));
  app.use(securityHeaders({ hsts: deps.hsts, assetsPrefix }));
  app.use(deps.brand.middleware);
  app.use(viewRenderer());
  app.use(errorPages());
  app.use(refuseNulInUrl());
  const assets = serve(publicDir, { maxage: 60 * 60 * 1000, index: false });
  // Only /assets touches the file system; every other request skips the lookup.
  app.use((ctx, next) => (ctx.path.startsWith(assetsPrefix) ? (assets(ctx, next) as Promise<void>) : next()));
  for (const middleware of deps.routes) app.use(middleware);

  const provider = deps.provider.callback();
  app.use(async (ctx) => {
    ctx.respond = false;
    refuseNulInBodyStream(ctx.req);
    await provider(ctx.req, ctx.res);
  });
  // Koa logs errors itself unless told otherwise; ours are logged by errorPages.
  app.silent = true;
  return app;
}
