/**
 * Requests for sign-in links (src/signin-links), limited per client (a compromised or buggy
 * backend cannot mint links without end) and per address over every client (nobody's
 * mailbox or account is the target of a flood of links). Every request counts, whether or
 * not a link is made, so the limit says nothing about which addresses have accounts.
 */
import type { ThrottleLimits } from "./limits.js";
import type { Throttle } from "./throttle.js";

export interface SignInLinkThrottle {
  /** Counts a request, or refuses it with a TooManyRequestsError. */
  request(request: { clientId: string; address: string }): Promise<void>;
}

export function createSignInLinkThrottle(throttle: Throttle, limits: ThrottleLimits["signInLink"]): SignInLinkThrottle {
  const perClient = { name: "sign-in-link.client", ...limits.perClient };
  const perAddress = { name: "sign-in-link.address", ...limits.perAddress };
  return {
    async request({ clientId, address }) {
      await throttle.attempt(
        [
          { rule: perClient, key: clientId },
          { rule: perAddress, key: address.trim().toLowerCase() },
        ],
        { message: "Too many sign-in links were asked for." },
      );
    },
  };
}
