import { AppError } from "../shared/index.js";

/** A billing action refused or not possible now, with what the user should read. */
export class BillingError extends AppError {
  constructor(code: string, message: string, status = 409) {
    super(`billing.${code}`, message, status);
    this.name = "BillingError";
  }
}

export const billingDisabled = () => new BillingError("disabled", "Billing is not enabled on this server, so plans cannot be bought here.", 404);
export const stripeUnavailable = () =>
  new BillingError("stripe_unavailable", "We could not reach our payment provider. Nothing was charged twice: try again in a moment.", 503);
