/** A limit as configured (src/config.ts THROTTLE_*): this many attempts per window. */
export interface Limit {
  limit: number;
  windowSeconds: number;
}

/** The limits Tessera enforces, by what they protect. */
export interface ThrottleLimits {
  signIn: { perAccountAndIp: Limit; perAccount: Limit; perIp: Limit; perKnownBrowser: Limit };
  mail: { perIp: Limit; perAddress: Limit };
  clientAuth: { perClientAndIp: Limit; perIp: Limit };
  signInLink: { perClient: Limit; perAddress: Limit };
  wallet: { perIp: Limit };
}
