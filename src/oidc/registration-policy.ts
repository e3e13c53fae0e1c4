/**
 * What a dynamically registered client (RFC 7591) may declare, beyond node-oidc-provider's
 * own validation. Initial access tokens issued by the operator carry this policy, and the
 * registration access tokens they lead to inherit it (RFC 7592 updates are held to it too).
 * - Redirect, logout and login-initiation URIs are https, except loopback addresses for
 *   development and native apps (RFC 8252 §7.3).
 * - Tessera's client settings (src/clients/) that are the operator's to set (first party,
 *   cooloff, organisation, verified email) cannot be self-declared: they are dropped. The
 *   URLs in settings a client may declare follow the https rule above.
 */
import { errors, type KoaContextWithOIDC } from "oidc-provider";
import { clientSettingsMetadata } from "../clients/index.js";

export const registrationPolicyName = "tessera-registration";

const loopbacks = new Set(["localhost", "127.0.0.1", "[::1]"]);

function allowed(uri: unknown): boolean {
  const parsed = typeof uri === "string" ? URL.parse(uri) : null;
  if (!parsed) return false;
  if (parsed.protocol === "https:") return true;
  return parsed.protocol === "http:" && loopbacks.has(parsed.hostname);
}

export function registrationPolicy(_ctx: KoaContextWithOIDC, properties: Record<string, unknown>): void {
  const standard = (["redirect_uris", "post_logout_redirect_uris", "backchannel_logout_uri", "initiate_login_uri"] as const).map((name) => {
    const value = properties[name];
    return [name, Array.isArray(value) ? value : value === undefined ? [] : [value]] as [string, unknown[]];
  });
  for (const [name, uris] of [...standard, ...clientSettingsMetadata.urls(properties)]) {
    if (!uris.every(allowed)) {
      const message = `${name} must use https (http only for loopback addresses)`;
      throw name === "redirect_uris" ? new errors.InvalidRedirectUri(message) : new errors.InvalidClientMetadata(message);
    }
  }
  for (const name of clientSettingsMetadata.operatorOnly) delete properties[name];
}
