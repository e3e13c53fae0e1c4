/**
 * Failed password sign-ins, limited so that guessing is slow and the owner is not locked out
 * (ASVS 5.0 6.3.1, and 6.1.1: how lockout is avoided is documented in the README):
 * - from a browser the address is not known to: per (address, IP), per IP over every
 *   address (one source trying many accounts), and per address (many sources trying one
 *   account — the lockout Keycloak documents, so it binds only these browsers);
 * - from a browser that signed in with the address before (known-browsers.ts): only per
 *   browser. An attacker elsewhere, or on the owner's own network, cannot fill this count.
 * The address is the one typed, whether or not an account has it, so a refusal says nothing
 * about who has an account; a refused attempt is answered before any password is checked,
 * which costs the same for every address. Only failures count: a correct password gives its
 * places back.
 */
import type { Attempt, Throttle } from "./throttle.js";
import { addressKey } from "./client-address.js";
import type { ThrottleLimits } from "./limits.js";

export interface SignInAttempt {
  /** The address typed. */
  address: string;
  ip: string;
  /** The browser's mark for this address, when it is known to it. */
  knownBrowser?: string;
}

export interface SignInThrottle {
  /** Counts a password check about to be made, or refuses it with a TooManyRequestsError. */
  attempt(attempt: SignInAttempt): Promise<Attempt>;
}

export function createSignInThrottle(throttle: Throttle, limits: ThrottleLimits["signIn"]): SignInThrottle {
  const rules = {
    perAccountAndIp: { name: "sign-in.account-ip", ...limits.perAccountAndIp },
    perAccount: { name: "sign-in.account", ...limits.perAccount },
    perIp: { name: "sign-in.ip", ...limits.perIp },
    perKnownBrowser: { name: "sign-in.known-browser", ...limits.perKnownBrowser },
  };
  const refusal = { message: "Too many failed sign-in attempts." };
  return {
    attempt({ address, ip, knownBrowser }) {
      const account = address.trim().toLowerCase();
      const source = addressKey(ip);
      const buckets = knownBrowser
        ? [{ rule: rules.perKnownBrowser, key: knownBrowser }]
        : [
            { rule: rules.perAccountAndIp, key: `${account}\n${source}` },
            { rule: rules.perIp, key: source },
            { rule: rules.perAccount, key: account },
          ];
      return throttle.attempt(buckets, refusal);
    },
  };
}
