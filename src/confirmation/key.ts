/**
 * Confirmation keys: 32 random bytes (256 bits) in base64url, 43 characters. Only their
 * SHA-256 is stored, so a database leak yields no usable link; a lookup by hash is also
 * immune to timing attacks on the comparison.
 */
import { createHash, randomBytes } from "node:crypto";

const shape = /^[A-Za-z0-9_-]{43}$/;

export function generateKey(): string {
  return randomBytes(32).toString("base64url");
}

export function hashKey(key: string): string {
  return createHash("sha256").update(key).digest("hex");
}

/** Tells a truncated or mangled link apart from one that never existed. */
export function isWellFormed(key: string): boolean {
  return shape.test(key);
}
