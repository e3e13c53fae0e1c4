/**
 * The one place that decides what a person sees when a Tessera page fails: an AppError's
 * own message, an expired sign-in explained, or — for our own faults — an apology with the
 * request id, never a stack trace. The detail goes to the log.
 */
import type { Middleware } from "koa";
import { errors } from "oidc-provider";
import { AppError } from "../../shared/index.js";
import { explainOidcError } from "../../oidc/index.js";
import { renderPage } from "../edge/index.js";

export function errorPages(): Middleware {
  return async (ctx, next) => {
    try {
      await next();
    } catch (error) {
      const view = describe(error);
      if (view.status >= 500) ctx.state.log.error({ err: error }, "request failed");
      else ctx.state.log.info({ code: view.code }, "request refused");
      ctx.status = view.status;
      await renderPage(ctx, "errors/page", { title: view.title, message: view.message, errorReference: ctx.state.requestId });
    }
  };
}

function describe(error: unknown): { status: number; code: string; title: string; message: string } {
  if (error instanceof errors.SessionNotFound) {
    return { status: 400, code: "session_not_found", title: "This sign-in has expired", message: explainOidcError("session_not_found") };
  }
  if (error instanceof errors.OIDCProviderError) {
    return { status: error.status, code: error.error, title: "Sign-in could not continue", message: explainOidcError(error.error, error.error_description) };
  }
  if (error instanceof AppError && error.expose) {
    return { status: error.status, code: error.code, title: "That did not work", message: error.message };
  }
  if (isClientHttpError(error)) {
    return {
      status: error.status,
      code: "http.client_error",
      title: "That request could not be read",
      message: "The form sent to Tessera was malformed or too large. Go back, check what you entered and try again.",
    };
  }
  return {
    status: 500,
    code: "internal",
    title: "Something went wrong on our side",
    message: "Tessera could not finish this request. Try again in a moment; if it keeps happening, give the operator the request id below.",
  };
}

/** Errors from Koa's ecosystem (http-errors) that blame the request, like a body too large. */
function isClientHttpError(error: unknown): error is { status: number } {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === "number" && status >= 400 && status < 500 && (error as { expose?: unknown }).expose === true;
}
