/**
 * The provider's own pages (errors it cannot redirect, logout) in Tessera's layout.
 * Rendering is koa-views, installed on the provider's Koa app by the http layer.
 */
import type { KoaContextWithOIDC } from "oidc-provider";
import { renderPage as render } from "../http/edge/index.js";
import { explainOidcError } from "./explain-error.js";


export async function renderError(ctx: KoaContextWithOIDC, out: { error: string; error_description?: string }): Promise<void> {
  ctx.type = "html";
  await render(ctx, "errors/oidc", {
    title: "Sign-in could not continue",
    error: out.error,
    description: out.error_description,
    explanation: explainOidcError(out.error, out.error_description),
    errorReference: ctx.get("x-request-id") || undefined,
  });
}

export async function logoutSource(ctx: KoaContextWithOIDC, form: string): Promise<void> {
  const client = ctx.oidc.client;
  await render(ctx, "oidc/logout", {
    title: "Sign out",
    form,
    clientName: client?.clientName ?? client?.clientId,
  });
}

export async function postLogoutSuccessSource(ctx: KoaContextWithOIDC): Promise<void> {
  const client = ctx.oidc.client;
  await render(ctx, "oidc/logged-out", { title: "Signed out", clientName: client?.clientName ?? client?.clientId });
}
