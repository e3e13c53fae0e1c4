/**
 * One error for every way a confirmation key can fail, with a reason each failure page
 * explains differently: what happened and what to do next.
 */
import { AppError, TooManyRequestsError } from "../shared/index.js";

export type ConfirmationFailure = "malformed" | "unknown" | "expired" | "used" | "revoked";

export class ConfirmationKeyError extends AppError {
  constructor(
    readonly reason: ConfirmationFailure,
    /** The link's intent when it is known (expired, used, revoked), for the "send a new one" action. */
    readonly intent?: string,
  ) {
    super(`confirmation.${reason}`, `confirmation link ${reason}`, reason === "malformed" || reason === "unknown" ? 404 : 410);
    this.name = "ConfirmationKeyError";
  }
}

/** Asking for links too often for the same object. */
export class TooManyLinksError extends TooManyRequestsError {
  constructor(retryAfterSeconds: number) {
    super(
      retryAfterSeconds < 120
        ? `A link was sent a moment ago. You can ask for another in ${retryAfterSeconds} seconds.`
        : `Too many links were sent. You can ask for another in ${Math.ceil(retryAfterSeconds / 60)} minutes.`,
      retryAfterSeconds,
    );
    this.name = "TooManyLinksError";
  }
}
