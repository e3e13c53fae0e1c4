/**
 * Builds and signs Security Event Tokens as SSF 1.0 §4 profiles RFC 8417: JOSE header
 * `typ: secevent+jwt`, signed with Tessera's current RS256 key (published at /jwks, as the
 * CAEP interoperability profile asks), `iss`, `aud` (the one receiving client), `iat`,
 * `jti`, `txn` (shared by the SETs of one change), no `sub` and no `exp` (SSF §4.1.x), the
 * subject in `sub_id`, exactly one event.
 */
import { importJWK, SignJWT, type JWK } from "jose";

export type SubjectId = { format: "iss_sub"; iss: string; sub: string } | { format: "opaque"; id: string };

export interface SecurityEvent {
  audience: string;
  jti: string;
  txn?: string;
  subject: SubjectId;
  type: string;
  payload: Record<string, unknown>;
}

export type SetSigner = (event: SecurityEvent, now: Date) => Promise<string>;

export async function createSetSigner(issuer: string, jwks: { keys: JWK[] }): Promise<SetSigner> {
  // The first key of an algorithm is the one signing (src/oidc/keys.ts), as for ID tokens.
  const jwk = jwks.keys.find((key) => key.alg === "RS256");
  if (!jwk?.kid) throw new Error("Shared Signals need an RS256 signing key in the key set");
  const key = await importJWK(jwk, "RS256");
  return (event, now) =>
    new SignJWT({ sub_id: event.subject, events: { [event.type]: event.payload }, ...(event.txn && { txn: event.txn }) })
      .setProtectedHeader({ alg: "RS256", kid: jwk.kid, typ: "secevent+jwt" })
      .setIssuer(issuer)
      .setAudience(event.audience)
      .setIssuedAt(Math.floor(now.getTime() / 1000))
      .setJti(event.jti)
      .sign(key);
}
