/**
 * Wallet sign-in and sign-up challenges per IP. A signature cannot be guessed, so what this
 * limits is the work a source can make Tessera do: every wallet sign-in or sign-up starts
 * with a fresh single-use challenge (a stored nonce), and each attempt uses one up, so a
 * limit on challenges bounds the challenges stored, the signatures checked (and, with
 * WALLET_RPC_URL, the RPC calls for contract wallets) and the accounts created. Sign-ups
 * that give an email are counted as mail too (mail.ts), by the caller.
 */
import { addressKey } from "./client-address.js";
import type { ThrottleLimits } from "./limits.js";
import type { Throttle } from "./throttle.js";

export interface WalletThrottle {
  /** Counts a challenge about to be issued, or refuses it with a TooManyRequestsError. */
  challenge(ip: string): Promise<void>;
}

export function createWalletThrottle(throttle: Throttle, limits: ThrottleLimits["wallet"]): WalletThrottle {
  const perIp = { name: "wallet.challenge.ip", ...limits.perIp };
  return {
    async challenge(ip) {
      await throttle.attempt([{ rule: perIp, key: addressKey(ip) }], { message: "Too many wallet sign-in attempts from this address." });
    },
  };
}
