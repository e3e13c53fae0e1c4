/**
 * Why a wallet sign-in, sign-up or link was refused: an error code a script can switch on
 * (the JSON API's `error`), the status that goes with it, and the sentence a person reads.
 */
import { AppError } from "../shared/index.js";

export const walletRefusals = {
  invalid_request: 400,
  wrong_chain: 400,
  wrong_domain: 400,
  challenge_expired: 400,
  challenge_used: 400,
  invalid_signature: 401,
  signup_disabled: 403,
  unknown_wallet: 404,
  wallet_taken: 409,
  last_sign_in_method: 409,
} as const;

export type WalletRefusal = keyof typeof walletRefusals;

export class WalletError extends AppError {
  constructor(
    readonly refusal: WalletRefusal,
    message: string,
  ) {
    super(`wallet.${refusal}`, message, walletRefusals[refusal]);
    this.name = "WalletError";
  }
}
