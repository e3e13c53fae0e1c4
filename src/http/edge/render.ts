/**
 * Renders a page inside a layout (views/layouts/*.ejs include the page named by `page`).
 * The one place that gives every page its `errors` (messages by field name) and
 * `hasErrors` (the layout prefixes the title with "Error:", WCAG 3.3.1), so a page shown
 * again after a refused form and a page shown first read the same locals.
 */
export type Layout = "single" | "default";

/** What koa-views adds to a context; the provider's contexts have it too (http/app.ts installs it). */
export interface CanRender {
  render(view: string, locals?: Record<string, unknown>): Promise<void>;
}

export function renderPage(ctx: unknown, page: string, locals: Record<string, unknown> = {}, layout: Layout = "single"): Promise<void> {
  const errors = (locals.errors as Record<string, string> | undefined) ?? {};
  return (ctx as CanRender).render(`layouts/${layout}`, { ...locals, page, errors, hasErrors: Object.keys(errors).length > 0 });
}
