/**
 * The provider's own pages (errors it cannot redirect, logout) in Tessera's layout.
 * Rendering is koa-views, installed on the provider's Koa app by the http layer.
 */
import { errors, type Adapter, type KoaContextWithOIDC } from "oidc-provider";
import { renderPage as render } from "../http/edge/index.js";
import { accountClient, accountClientId } from "./account-client.js";
import { expiredSignIns, signInUidOf, type ExpiredSignInView } from "./ended-sign-ins.js";
import { explainOidcError } from "./explain-error.js";

/**
 * An expired sign-in, whoever noticed (the provider resuming /auth/UID, or a sign-in page):
 * what happened and, where the sign-in's application is known, the way back to it.
 */
export async function renderExpiredSignIn(ctx: unknown, view: ExpiredSignInView | undefined, errorReference?: string): Promise<void> {
  await render(ctx, "errors/expired-sign-in", {
    title: "This sign-in has expired",
    application: view,
    message: view
      ? `This sign-in page is out of date: the sign-in it belonged to has already finished or has expired. Nothing more is needed here.`
      : explainOidcError("session_not_found"),
    errorReference,
  });
}

export async function renderError(ctx: KoaContextWithOIDC, out: { error: string; error_description?: string }, error: unknown, adapter?: (model: string) => Adapter): Promise<void> {
  ctx.type = "html";
  if (error instanceof errors.SessionNotFound && adapter) {
    const view = await expiredSignIns(ctx.oidc.provider, adapter).describe(signInUidOf(ctx.path));
    return renderExpiredSignIn(ctx, view, ctx.get("x-request-id") || undefined);
  }
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

/**
 * Where signing out ends when the client named no post_logout_redirect_uri (Tessera's own
 * account pages never do): says so, and offers the ways on — sign in again, the client's
 * home page where it registered one, or this service's home page.
 */
export async function postLogoutSuccessSource(ctx: KoaContextWithOIDC): Promise<void> {
  const client = ctx.oidc.client;
  const other = client && client.clientId !== accountClientId ? client : undefined;
  const clientUri = typeof other?.clientUri === "string" && /^https?:\/\//i.test(other.clientUri) ? other.clientUri : undefined;
  await render(ctx, "oidc/logged-out", {
    title: "You are signed out",
    clientName: other?.clientName ?? other?.clientId,
    clientUri,
    signInUrl: accountClient(ctx.oidc.provider.issuer).signInUrl,
  });
}
