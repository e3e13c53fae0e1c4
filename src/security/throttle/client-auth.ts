/**
 * Failed client authentications at the token, introspection, revocation and other
 * client-authenticated endpoints, counted per (client id, IP) and per IP over every client
 * id. Not per client id alone: client ids are public (they travel in every authorization
 * URL), so a limit on the id alone would let anyone lock a relying party's backend out of
 * its own tokens; its secret (256 random bits) or signed assertion cannot be guessed in any
 * number of tries, so what the limit is for is the load and noise of trying, which the
 * per-source counts stop. Only failures count.
 */
import { addressKey } from "./client-address.js";
import type { ThrottleLimits } from "./limits.js";
import type { Attempt, Throttle } from "./throttle.js";

export interface ClientAuthThrottle {
  /** Counts a client authentication about to be checked, or refuses it with a TooManyRequestsError. */
  attempt(clientId: string, ip: string): Promise<Attempt>;
}

export function createClientAuthThrottle(throttle: Throttle, limits: ThrottleLimits["clientAuth"]): ClientAuthThrottle {
  const perClientAndIp = { name: "client-auth.client-ip", ...limits.perClientAndIp };
  const perIp = { name: "client-auth.ip", ...limits.perIp };
  return {
    attempt(clientId, ip) {
      const source = addressKey(ip);
      return throttle.attempt(
        [
          { rule: perClientAndIp, key: `${clientId}\n${source}` },
          { rule: perIp, key: source },
        ],
        { message: "Too many failed client authentications from this address." },
      );
    },
  };
}
