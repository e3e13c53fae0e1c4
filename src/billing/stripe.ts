/**
 * The Stripe SDK as Tessera uses it. The API version is pinned here, not left to the
 * account's default, so a change of version in Stripe's dashboard cannot change the shapes
 * we read; it is the SDK's own version, whose types describe exactly those shapes. Since
 * 2025-03-31 ("basil") a subscription's period lives on its items
 * (`items.data[].current_period_end`), which is where subscription.ts reads it.
 */
import Stripe from "stripe";

export const stripeApiVersion = "2026-10-28.endive" as const;

export interface StripeSettings {
  secretKey: string;
  /** A stand-in for Stripe's API (STRIPE_API_URL); undefined: Stripe's own. */
  api?: { protocol: "http" | "https"; host: string; port: number };
}

export function createStripe(settings: StripeSettings): Stripe {
  return new Stripe(settings.secretKey, {
    apiVersion: stripeApiVersion,
    // One quiet retry of a network failure, with the same idempotency key; past that the
    // user sees "try again", and their retry reuses the key too (service.ts).
    maxNetworkRetries: 1,
    timeout: 20_000,
    telemetry: false,
    ...(settings.api && { protocol: settings.api.protocol, host: settings.api.host, port: settings.api.port }),
  });
}

export type { Stripe };

/** Stripe's answer that the object is gone (a customer deleted twice, an unknown id). */
export function isMissing(error: unknown): boolean {
  return error instanceof Stripe.errors.StripeInvalidRequestError && error.code === "resource_missing";
}

/** Stripe could not be reached or answered with its own fault: worth trying again later. */
export function isUnavailable(error: unknown): boolean {
  return error instanceof Stripe.errors.StripeConnectionError || error instanceof Stripe.errors.StripeAPIError || error instanceof Stripe.errors.StripeRateLimitError;
}
