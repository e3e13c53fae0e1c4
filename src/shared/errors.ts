/**
 * One error type for everything Tessera reports to a person: a code (`room.reason`), the
 * HTTP status, and the message that person should read. `expose` is false for faults that
 * are ours, whose detail stays in the log.
 */
export class AppError extends Error {
  readonly expose: boolean;

  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = "AppError";
    this.expose = status < 500;
  }
}

/**
 * Input that fails validation, with one message per form field so a page can show each
 * next to its field — all of them at once, not one per submit.
 */
export class FormError extends AppError {
  constructor(
    readonly fields: Record<string, string>,
    status = 400,
    code = "form.invalid",
  ) {
    super(code, Object.values(fields).join(" "), status);
    this.name = "FormError";
  }
}
