/**
 * Posted forms on the browser-pages edge. Fields are read as one string each ("" when
 * missing; the first value when a field is repeated), and `formSubmission` is the one place
 * where a refused form (a FormError) becomes the same page shown again, each message next
 * to its field, with the error's status (and Retry-After when it is a 429) — the route only
 * says how to show its page.
 */
import type { ParameterizedContext } from "koa";
import { FormError, TooManyRequestsError } from "../../shared/index.js";

export type FieldErrors = Record<string, string>;

export interface SubmittedForm {
  /** The field's value; "" when it is missing or not text. */
  get(name: string): string;
  /** Whether the form has the field at all. */
  has(name: string): boolean;
}

/** A form the service refused: what was sent, and one message per field. */
export interface RefusedForm {
  form: SubmittedForm;
  errors: FieldErrors;
}

export function submittedForm(ctx: { request: unknown }): SubmittedForm {
  const body = ((ctx.request as { body?: unknown }).body ?? {}) as Record<string, unknown>;
  return {
    get(name) {
      const value = Object.hasOwn(body, name) ? body[name] : undefined;
      const first: unknown = Array.isArray(value) ? value[0] : value;
      return typeof first === "string" ? first : "";
    },
    has: (name) => Object.hasOwn(body, name),
  };
}

export interface FormRoute<Ctx> {
  /** Does what the form asks and answers (renders or redirects); throws FormError to refuse. */
  submit(ctx: Ctx, form: SubmittedForm): Promise<void>;
  /** Shows the form's page again with the refused input; the status is already set. */
  showAgain(ctx: Ctx, refused: RefusedForm): Promise<void>;
}

export function formSubmission<Ctx extends ParameterizedContext<{ log: { info(fields: object, message: string): void } }>>(route: FormRoute<Ctx>) {
  return async (ctx: Ctx): Promise<void> => {
    const form = submittedForm(ctx);
    try {
      await route.submit(ctx, form);
    } catch (error) {
      if (!(error instanceof FormError)) throw error;
      ctx.state.log.info({ code: error.code, fields: Object.keys(error.fields) }, "form refused");
      ctx.status = error.status;
      if (error instanceof TooManyRequestsError) ctx.set("Retry-After", String(error.retryAfterSeconds));
      await route.showAgain(ctx, { form, errors: error.fields });
    }
  };
}
