/**
 * The HTTP edge by audience. The composition root makes one Edge; each room mounts its
 * routes through it with one function (`mountXRoutes(edge, deps)`), choosing per router
 * the audience it serves — people in a browser (`pages`), programs (`api`), or services
 * calling back (`webhooks`) — and gets that audience's plumbing without repeating it.
 */
import type { Middleware } from "koa";
import { apiRouter, type ApiRouter, type ClientAuthLimiter } from "./api.js";
import { pageRouter, type PageRouter, type ViewPaths } from "./pages.js";
import type { Paths } from "./paths.js";
import { webhookRouter, type WebhookRouter } from "./webhooks.js";

export interface Edge {
  readonly issuer: string;
  /** A router of pages; `paths` are shown to every view as `paths.<room>`. */
  pages<S = unknown>(room: string, paths?: Paths): PageRouter<S>;
  /** A router of JSON APIs. */
  api(): ApiRouter;
  /** A router of webhooks, with the raw body kept. */
  webhooks(): WebhookRouter;
  /** Every router made so far as app middleware, in the order made: the app mounts them so. */
  middleware(): Middleware[];
}

export function createEdge(deps: { issuer: string; clientAuthLimiter?: ClientAuthLimiter }): Edge {
  const mounted: Middleware[] = [];
  const viewPaths: ViewPaths = {};
  // A router's state type is wider than the app's DefaultState: its own edge middleware
  // fills the rest before any route runs, so mounting it on the app is sound.
  const keep = <R extends { routes(): unknown; allowedMethods(): unknown }>(router: R): R => {
    mounted.push(router.routes() as Middleware, router.allowedMethods() as Middleware);
    return router;
  };
  return {
    issuer: deps.issuer,
    pages<S>(room: string, paths?: Paths) {
      if (paths) viewPaths[room] = paths;
      return keep(pageRouter<S>({ issuer: deps.issuer, paths: viewPaths }));
    },
    api: () => keep(apiRouter({ clientAuthLimiter: deps.clientAuthLimiter })),
    webhooks: () => keep(webhookRouter()),
    middleware: () => [...mounted],
  };
}
