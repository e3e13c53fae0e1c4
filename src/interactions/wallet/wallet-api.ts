/**
 * How wallet refusals read on a JSON API: the refusal's code as OAuth's `error` with its
 * status (WalletError), a refused field as `invalid_request` (or `email_taken` when another
 * account owns the address), each with the sentence a person should read.
 */
import { ApiError, type ApiContext } from "../../http/edge/index.js";
import { FormError, TooManyRequestsError } from "../../shared/index.js";
import { WalletError } from "../../wallet/index.js";
import type { InteractionState } from "../interaction.js";

/** An API request that loads the interaction: its state starts empty and the interaction is kept there once loaded. */
export type WalletApiContext = ApiContext & { state: InteractionState };

export function walletApi(handler: (ctx: WalletApiContext) => Promise<void>): (ctx: ApiContext) => Promise<void> {
  return async (ctx) => {
    try {
      await handler(ctx as WalletApiContext);
    } catch (error) {
      // The API edge answers it: 429, Retry-After, too_many_requests.
      if (error instanceof TooManyRequestsError) throw error;
      if (error instanceof WalletError) throw new ApiError(error.refusal, error.message, error.status);
      if (error instanceof FormError) throw new ApiError(error.status === 409 ? "email_taken" : "invalid_request", error.message, error.status);
      throw error;
    }
  };
}

/** A string field of the body ("" when missing or not text). */
export function textField(body: Record<string, unknown>, name: string): string {
  const value = body[name];
  return typeof value === "string" ? value : "";
}
