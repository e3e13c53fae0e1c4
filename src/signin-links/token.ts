/**
 * The sign-in link's token: `<link id>.<HMAC-SHA256>`, the HMAC taken with the cookie keys in
 * KEYS_DIR (the first signs, every one verifies, so adding a key keeps links valid) over the
 * link's id, client, address, exact target and expiry as stored. A token therefore says
 * nothing by itself, cannot be made or altered without the key, and is bound to the one
 * client, address and page it was asked for (ASVS 5.0 6.6.2); the stored row makes it single
 * use. The id is a UUID and the HMAC 256 bits, so the token cannot be guessed.
 */
import { createHmac, timingSafeEqual } from "node:crypto";

export interface SignedFields {
  id: string;
  clientId: string;
  email: string;
  target: string;
  expiresAt: Date;
}

const shape = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.([A-Za-z0-9_-]{43})$/;

function mac(key: string, fields: SignedFields): string {
  const text = ["tessera sign-in link v1", fields.id, fields.clientId, fields.email, fields.target, fields.expiresAt.toISOString()].join("\n");
  return createHmac("sha256", key).update(text).digest("base64url");
}

export function linkTokens(keys: readonly string[]) {
  const [signingKey] = keys;
  if (!signingKey) throw new Error("sign-in links need at least one cookie key");
  return {
    sign: (fields: SignedFields): string => `${fields.id}.${mac(signingKey, fields)}`,
    /** The id a well-formed token names (not yet verified), or undefined. */
    idOf: (token: string): string | undefined => shape.exec(token)?.[1],
    /** Whether the token's HMAC is right for the stored fields under any of the keys. */
    verify(token: string, fields: SignedFields): boolean {
      const given = Buffer.from(shape.exec(token)?.[2] ?? "");
      return keys.some((key) => {
        const expected = Buffer.from(mac(key, fields));
        return expected.length === given.length && timingSafeEqual(expected, given);
      });
    },
  };
}

export type LinkTokens = ReturnType<typeof linkTokens>;
