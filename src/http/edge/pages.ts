/**
 * The browser-pages edge: every route of a page router is a page a person opens or a form
 * they post. Each request gets, in order: no-store; the same-origin form check (before any
 * body is read); urlencoded body parsing with a limit (a malformed or oversized form is an
 * http-errors 4xx, which http/middleware/errors.ts explains on a page); a form holding a NUL
 * character refused (edge/nul.ts); and the `paths`
 * and `pathTo` locals every view links with.
 */
import Router from "@koa/router";
import type { DefaultState, Middleware, ParameterizedContext } from "koa";
import { koaBody } from "koa-body";
import { AppError } from "../../shared/index.js";
import { noStore } from "./no-store.js";
import { nulMessage, refuseNulInBody } from "./nul.js";
import { pathTo, type Paths } from "./paths.js";
import { sameOriginForms } from "./same-origin-forms.js";

/** Every room's paths by room name, as views see them: `paths.interaction.login`. */
export type ViewPaths = Record<string, Paths>;

export interface PageState extends DefaultState {
  paths: ViewPaths;
  pathTo: typeof pathTo;
}

export type PageRouter<S = unknown> = Router<PageState & S>;
/** What a page handler sees: the request with its typed state and the route's parameters. */
export type PageContext<S = unknown> = ParameterizedContext<PageState & S> & { params: Record<string, string> };

/** Forms are a few fields of text; anything larger is not one of ours. */
export const formLimit = "16kb";

export function pageRouter<S>(deps: { issuer: string; paths: ViewPaths }): PageRouter<S> {
  const router = new Router<PageState & S>();
  const exposePaths: Middleware<PageState> = async (ctx, next) => {
    ctx.state.paths = deps.paths;
    ctx.state.pathTo = pathTo;
    await next();
  };
  router.use(
    noStore(),
    sameOriginForms(deps.issuer),
    koaBody({ urlencoded: true, json: false, multipart: false, text: false, formLimit }) as unknown as Middleware,
    refuseNulInBody(() => new AppError("http.nul", nulMessage, 400)),
    exposePaths as Middleware,
  );
  return router;
}
