/**
 * What a logged path looks like: any segment shaped like a key or token is replaced, so a
 * request line for a confirmation or password-reset link (`/confirm/<key>`) does not hand
 * whoever reads the logs a way to use it (ASVS 5.0 16.2.5: sensitive data such as
 * credentials is not logged).
 * - The rule is by shape, not by route: every key and token Tessera or node-oidc-provider
 *   puts in a path is an unbroken run of at least 32 URL-safe characters (confirmation keys
 *   are 43), while the identifiers people read a log by are shorter (interaction uids 21,
 *   session handles 22) or are UUIDs, which are kept. A route added later that carries a
 *   key is covered without being listed here.
 * - Query strings never reach a log line: callers log `ctx.path`, never `ctx.url`, since
 *   codes, hints and user codes travel there (`?code=`, `id_token_hint=`, `user_code=`).
 */
const keyShaped = /^[\w~.-]{32,}$/;
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const redactedSegment = ":redacted";

export function logSafePath(path: string): string {
  return path
    .split("/")
    .map((segment) => (keyShaped.test(segment) && !uuid.test(segment) ? redactedSegment : segment))
    .join("/");
}
