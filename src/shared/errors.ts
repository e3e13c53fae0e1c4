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

/**
 * Refused because too many requests came too fast (RFC 6585 §4: 429), saying when to try
 * again: the page shows the message next to `field` ("form" for the form as a whole) and the
 * answer carries `Retry-After` (RFC 9110 §10.2.3) with `retryAfterSeconds`.
 */
export class TooManyRequestsError extends FormError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
    field = "form",
  ) {
    super({ [field]: message }, 429, "too_many_requests");
    this.name = "TooManyRequestsError";
  }
}

/** "4 minutes", "30 seconds", "2 hours": how long to wait, rounded up, in words. */
export function describeWait(seconds: number): string {
  const unit = (count: number, word: string) => `${count} ${word}${count === 1 ? "" : "s"}`;
  if (seconds < 60) return unit(Math.max(1, Math.ceil(seconds)), "second");
  if (seconds < 7200) return unit(Math.ceil(seconds / 60), "minute");
  return unit(Math.ceil(seconds / 3600), "hour");
}
