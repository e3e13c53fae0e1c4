import type { Context } from "koa";

/** A field of the posted form as a string; "" when it is missing or not a string. */
export function field(ctx: Context, name: string): string {
  const value = ((ctx.request as { body?: Record<string, unknown> }).body ?? {})[name];
  return typeof value === "string" ? value : "";
}
