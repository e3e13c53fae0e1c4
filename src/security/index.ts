/**
 * The security room's public surface: throttling (anti-automation) and
 * the audit trail; second factors will live here too.
 */
export { createThrottle, type Attempt, type Bucket, type Throttle, type ThrottleRule } from "./throttle/throttle.js";
export type { Limit, ThrottleLimits } from "./throttle/limits.js";
export { addressKey } from "./throttle/client-address.js";
export { createKnownBrowsers, knownBrowserCookie, markBrowserKnown, type KnownBrowsers } from "./throttle/known-browsers.js";
export { createSignInThrottle, type SignInAttempt, type SignInThrottle } from "./throttle/sign-in.js";
export { createMailThrottle, type MailKind, type MailRequest, type MailThrottle } from "./throttle/mail.js";
export { createClientAuthThrottle, type ClientAuthThrottle } from "./throttle/client-auth.js";
export { createSignInLinkThrottle, type SignInLinkThrottle } from "./throttle/sign-in-link.js";
export { createWalletThrottle, type WalletThrottle } from "./throttle/wallet.js";
export { purgeThrottleCounters, purgeThrottleCountersHandler } from "./throttle/purge.js";
export * from "./audit/index.js";
