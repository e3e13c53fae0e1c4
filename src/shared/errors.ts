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
    readonly field?: string,
  ) {
    super(message);
    this.name = "AppError";
    this.expose = status < 500;
  }
}

export function assertThat(
  condition: unknown,
  code: string,
  message: string,
  options: { status?: number; field?: string } = {},
): asserts condition {
  if (!condition) throw new AppError(code, message, options.status ?? 400, options.field);
}
