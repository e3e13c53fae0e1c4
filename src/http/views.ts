/**
 * koa-views with ejs over views/. Pages render inside a layout (`layouts/single` for
 * sign-in steps): the layout includes the page named by the `page` local.
 */
import path from "node:path";
import type { Middleware } from "koa";
import views from "koa-views";

export const viewsDir = path.resolve(import.meta.dirname, "../../views");
export const publicDir = path.resolve(import.meta.dirname, "../../public");

export function viewRenderer(): Middleware {
  return views(viewsDir, { extension: "ejs", options: { cache: true } }) as unknown as Middleware;
}
