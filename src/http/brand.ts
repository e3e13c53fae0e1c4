/**
 * The operator's brand (BRAND_* settings) on every page: `brand` in every view's locals (the
 * layouts show its name, logo and help link), and two routes. /brand/style.css sets the
 * stylesheet's colour properties from BRAND_PRIMARY_COLOR: a file, linked after
 * tessera.css, because pages carry no inline style (a strict Content-Security-Policy allows
 * styles from files only). /brand/logo serves a logo file named by BRAND_LOGO. Both URLs
 * carry a digest of what they serve, so they are cached for good and a change shows at once.
 */
import { createHash } from "node:crypto";
import fs from "node:fs/promises";
import type { Middleware } from "koa";
import type { Brand } from "../config.js";
import { mix, readableOn } from "../shared/index.js";

/** What the layouts show. */
export interface BrandView {
  name: string;
  styleUrl: string;
  logoUrl?: string;
  supportUrl?: string;
}

export interface BrandAssets {
  view: BrandView;
  /** Serves the two routes and gives views their `brand`. */
  middleware: Middleware;
}

/** Gives views rendered under this middleware (the provider's own pages) their `brand`. */
export function brandLocals(view: BrandView): Middleware {
  return async (ctx, next) => {
    ctx.state.brand = view;
    await next();
  };
}

const stylePath = "/brand/style.css";
const logoPath = "/brand/logo";

// The card backgrounds of tessera.css, light and dark: where text in the brand colour sits.
const lightCard = "#ffffff";
const darkCard = "#211f1c";

/** The stylesheet for a brand colour: readable shades for light and dark mode. */
export function brandStylesheet(brand: Pick<Brand, "primaryColor">): string {
  const colour = brand.primaryColor;
  if (!colour) return "/* BRAND_PRIMARY_COLOR is not set: tessera.css's own colours apply. */\n";
  const light = readableOn(colour, lightCard, "#000000");
  const dark = readableOn(colour, darkCard, "#ffffff");
  return [
    `/* From BRAND_PRIMARY_COLOR ${colour}, in shades that keep text at 4.5:1 (WCAG 2.2 SC 1.4.3). */`,
    `:root { --accent: ${light}; --accent-ink: #ffffff; --accent-hover: ${mix(light, "#000000", 0.2)}; }`,
    `@media (prefers-color-scheme: dark) {`,
    `  :root { --accent: ${dark}; --accent-ink: #161513; --accent-hover: ${mix(dark, "#ffffff", 0.2)}; }`,
    `}`,
    ``,
  ].join("\n");
}

export async function loadBrandAssets(brand: Brand): Promise<BrandAssets> {
  const stylesheet = brandStylesheet(brand);
  const logoFile = brand.logo?.kind === "file" ? { bytes: await fs.readFile(brand.logo.file), contentType: brand.logo.contentType } : undefined;
  const view: BrandView = {
    name: brand.name,
    styleUrl: `${stylePath}?v=${digest(stylesheet)}`,
    logoUrl: brand.logo?.kind === "url" ? brand.logo.url : logoFile && `${logoPath}?v=${digest(logoFile.bytes)}`,
    supportUrl: brand.supportUrl,
  };
  const middleware: Middleware = async (ctx, next) => {
    ctx.state.brand = view;
    const read = ctx.method === "GET" || ctx.method === "HEAD";
    if (read && ctx.path === stylePath) serve(ctx, "text/css; charset=utf-8", stylesheet);
    else if (read && ctx.path === logoPath && logoFile) serve(ctx, logoFile.contentType, logoFile.bytes);
    else await next();
  };
  return { view, middleware };
}

function serve(ctx: Parameters<Middleware>[0], type: string, body: string | Buffer): void {
  ctx.type = type;
  // Replaces the pages' no-store: the URL changes with the content (security-headers.ts set
  // the rest, among them the CSP under which an SVG opened on its own runs no script).
  ctx.set("Cache-Control", "public, max-age=31536000, immutable");
  ctx.body = body;
}

function digest(content: string | Buffer): string {
  return createHash("sha256").update(content).digest("base64url").slice(0, 12);
}
