/** The seeded demo client, as the README and the home page use it. */
import type { TestTessera } from "./tessera.js";

export const demoSecret = "demo-secret";

/** Its authorization URL (relative to the issuer), with any parameter overridable. */
export function demoAuthorizeUrl(tessera: Pick<TestTessera, "issuer">, extra: Record<string, string> = {}): string {
  return `/auth?${new URLSearchParams({
    client_id: "demo",
    response_type: "code",
    scope: "openid profile email",
    redirect_uri: `${tessera.issuer}/demo/callback`,
    state: "demo",
    ...extra,
  })}`;
}
