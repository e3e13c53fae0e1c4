/**
 * node-oidc-provider keys each artefact by its id, and for most of them the id is the
 * secret itself: an access or refresh token, a code, a device code, a registration or
 * initial access token, the value of a browser's session cookie. Stored as they are, a
 * leaked database or backup would be a working set of credentials (RFC 6819 §5.1.4.1.3:
 * no cleartext storage of credentials). So those rows are keyed by the SHA-256 of the id
 * instead, and their payload does not carry it.
 * - Plain SHA-256, not an HMAC with a key from keys/: every such id is a random string of
 *   at least 126 bits (tokens and codes 256), so there is nothing to guess offline and a
 *   key would only add something to lose — losing it would sign everyone out and void
 *   every token — while SQL can compute SHA-256 itself, which is how existing rows were
 *   re-keyed in place (the `hash_secret_ids` migration) without signing anyone out.
 * - A row found by uid or user code is handed to the provider under a reference,
 *   `stored:<hash>.<mac>`, since there is no plain value then (a device code is looked up by
 *   its user code, a session by its uid) and the provider may save it, destroy it, or — for
 *   a device code — note it in the Interaction and find it again when the person has signed
 *   in. The MAC (HMAC-SHA256 under a subkey of the at-rest key in keys/) makes a reference
 *   unforgeable from the database alone; the one kept in an Interaction lives as long as a
 *   device approval in progress, where before the device code itself was stored.
 */
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { subkey, type AtRestKeys } from "./at-rest-key.js";

/** The models whose id is a bearer secret. Grants, interactions and the rest are not. */
const secretIdModels = new Set([
  "AccessToken",
  "AuthorizationCode",
  "BackchannelAuthenticationRequest",
  "ClientCredentials",
  "DeviceCode",
  "InitialAccessToken",
  "RefreshToken",
  "RegistrationAccessToken",
  "Session",
]);

const reference = /^stored:([0-9a-f]{64})\.([\w-]{43})$/;

export function hasSecretId(model: string): boolean {
  return secretIdModels.has(model);
}

/** The row key for an id a client or browser presented. */
export function storedIdOf(model: string, id: string): string {
  return hasSecretId(model) ? createHash("sha256").update(id).digest("hex") : id;
}

export type StoredIds = ReturnType<typeof storedIds>;

export function storedIds(keys: AtRestKeys) {
  const macKey = subkey(keys.current, "stored-id reference");
  const macOf = (model: string, storedId: string) => createHmac("sha256", macKey).update(`${model}:${storedId}`).digest("base64url");

  return {
    /** The row key for an id the provider passes: a presented value, or a reference handed out by `idFor`. */
    keyOf(model: string, id: string): string {
      const match = hasSecretId(model) ? reference.exec(id) : null;
      if (match && timingSafeEqual(Buffer.from(match[2]!), Buffer.from(macOf(model, match[1]!)))) return match[1]!;
      return storedIdOf(model, id);
    },

    /** The id to give the provider for a row found without its plain value. */
    idFor(model: string, storedId: string): string {
      return hasSecretId(model) ? `stored:${storedId}.${macOf(model, storedId)}` : storedId;
    },
  };
}
