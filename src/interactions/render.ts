import type { Context } from "koa";

/** Renders a sign-in step inside the "single" layout. */
export function render(ctx: Context, page: string, locals: Record<string, unknown>): Promise<void> {
  return ctx.render("layouts/single", { page, ...locals });
}
