/**
 * A relying party's side of the conversation: openid-client configured against a test
 * Tessera, plus the few things a conformance suite checks by hand (hash claims, error
 * redirects, a direct token request, a browser navigation with its headers).
 */
import { createHash } from "node:crypto";
import * as oidc from "openid-client";
import { decodeJwt, decodeProtectedHeader } from "jose";
import type { Hop } from "./browser-session.js";
import type { ClientMetadata } from "./clients.js";
import type { TestTessera } from "./tessera.js";

/** openid-client's Configuration for `client`, discovered from Tessera (http issuer: insecure requests allowed). */
export async function relyingParty(
  tessera: TestTessera,
  client: ClientMetadata,
  options: { auth?: oidc.ClientAuth; execute?: Array<(config: oidc.Configuration) => void> } = {},
): Promise<oidc.Configuration> {
  const auth = options.auth ?? defaultAuth(client);
  const metadata: Partial<oidc.ClientMetadata> = {};
  if (client.client_secret) metadata.client_secret = client.client_secret;
  return oidc.discovery(new URL(tessera.issuer), client.client_id, metadata, auth, {
    execute: [oidc.allowInsecureRequests, ...(options.execute ?? [])],
  });
}

function defaultAuth(client: ClientMetadata): oidc.ClientAuth {
  switch (client.token_endpoint_auth_method ?? "client_secret_basic") {
    case "client_secret_basic":
      return oidc.ClientSecretBasic(client.client_secret);
    case "client_secret_post":
      return oidc.ClientSecretPost(client.client_secret);
    case "none":
      return oidc.None();
    default:
      throw new Error(`pass options.auth for ${client.token_endpoint_auth_method}`);
  }
}

/** A PKCE pair plus state and nonce, fresh for one authorization request. */
export async function checks() {
  const pkceCodeVerifier = oidc.randomPKCECodeVerifier();
  return {
    pkceCodeVerifier,
    codeChallenge: await oidc.calculatePKCECodeChallenge(pkceCodeVerifier),
    state: oidc.randomState(),
    nonce: oidc.randomNonce(),
  };
}

/** The redirect the browser was sent to, as a URL; fails the test if there was none. */
export function redirectOf(hop: Hop): URL {
  if (!hop.location) throw new Error(`expected a redirect, got ${hop.status} at ${hop.url}:\n${hop.body.slice(0, 2000)}`);
  return new URL(hop.location);
}

/** Authorization response parameters from the fragment (implicit/hybrid) or the query (code). */
export function fragmentParams(url: URL): URLSearchParams {
  return new URLSearchParams(url.hash.slice(1));
}

/**
 * OIDC Core §3.1.3.6 / §3.3.2.11: the left-most half of the hash of the ASCII value, with
 * the hash function of the id_token's `alg` (SHA-256 for RS256/ES256/PS256), base64url.
 */
export function tokenHash(value: string, alg: string): string {
  const bits = /^(?:RS|ES|PS|HS)(256|384|512)$/.exec(alg)?.[1];
  const algorithm = bits ? `sha${bits}` : alg === "EdDSA" || alg === "Ed25519" ? "sha512" : undefined;
  if (!algorithm) throw new Error(`no hash known for alg ${alg}`);
  const digest = createHash(algorithm).update(value, "ascii").digest();
  return digest.subarray(0, digest.length / 2).toString("base64url");
}

export function idTokenParts(idToken: string) {
  return { header: decodeProtectedHeader(idToken), claims: decodeJwt(idToken) };
}

/** What a refused openid-client call rejects with. */
export interface Refusal {
  /** ResponseBodyError / AuthorizationResponseError: the OAuth error code and description. */
  error?: string;
  error_description?: string;
  /** ResponseBodyError / WWWAuthenticateChallengeError: the HTTP status. */
  status?: number;
  /** openid-client's or oauth4webapi's error code. */
  code?: string;
  message: string;
  cause?: unknown;
  response?: Response;
}

/** Awaits a promise expected to reject and returns its error (fails the test if it resolved). */
export async function rejection(promise: Promise<unknown>): Promise<Refusal> {
  try {
    await promise;
  } catch (error) {
    return error as Refusal;
  }
  throw new Error("expected the call to be refused, but it succeeded");
}

/** A direct POST to the token endpoint with HTTP Basic client authentication. */
export async function tokenRequest(
  config: oidc.Configuration,
  client: ClientMetadata,
  form: Record<string, string>,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const endpoint = config.serverMetadata().token_endpoint!;
  const basic = Buffer.from(`${encodeURIComponent(client.client_id)}:${encodeURIComponent(client.client_secret ?? "")}`).toString("base64");
  const response = await fetch(endpoint, {
    method: "POST",
    headers: { authorization: `Basic ${basic}`, "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
    body: new URLSearchParams(form).toString(),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/**
 * One top-level navigation as a browser makes it: Accept text/html and the session's
 * cookies, redirects not followed. Unlike BrowserSession.request it returns the headers
 * (the provider answers JSON to clients that do not ask for HTML).
 */
export async function navigate(
  session: { cookieHeaderFor(path: string): string },
  url: URL | string,
): Promise<{ status: number; location?: string; headers: Headers; body: string }> {
  const target = new URL(url);
  const response = await fetch(target, {
    redirect: "manual",
    headers: { accept: "text/html,application/xhtml+xml,*/*;q=0.8", cookie: session.cookieHeaderFor(target.pathname) },
  });
  const location = response.headers.get("location");
  return { status: response.status, location: location ? new URL(location, target).toString() : undefined, headers: response.headers, body: await response.text() };
}
