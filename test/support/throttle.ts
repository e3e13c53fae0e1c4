/**
 * Throttling tests: browsers coming from chosen addresses (X-Forwarded-For, which Tessera
 * reads only with TRUST_PROXY set), and what a refused answer says.
 */
import { BrowserSession, interactionPath, type Hop } from "./browser-session.js";
import { demoAuthorizeUrl } from "./demo.js";
import { textOf } from "./page-text.js";
import { allowIfAsked } from "./sign-up.js";
import { knownBrowserCookie } from "../../src/security/index.js";
import type { TestTessera } from "./tessera.js";

/** A browser coming from `ip`, as a proxy would report it. */
export function browserAt(tessera: Pick<TestTessera, "issuer">, ip: string): BrowserSession {
  return new BrowserSession(tessera.issuer, { "x-forwarded-for": ip });
}

/** The answer's Retry-After in seconds (RFC 9110 §10.2.3, delay-seconds form). */
export function retryAfterOf(hop: Pick<Hop, "headers">): number | undefined {
  const value = hop.headers?.get("retry-after");
  return value && /^\d+$/.test(value) ? Number(value) : undefined;
}

/** The page's form-wide message (role="alert"), as a person reads it. */
export function alertOf(html: string): string | undefined {
  const match = /<p class="error[^"]*" role="alert">([\s\S]*?)<\/p>/.exec(html);
  return match ? textOf(match[1]!).replace(/^⚠\s*/, "") : undefined;
}

/**
 * One password sign-in through the demo client in `browser`. The browser first forgets any
 * session it has but keeps the cookie that makes it known to the addresses it signed in
 * with, as a browser does after signing out. `tessera` names the issuer of the demo client's
 * redirect URI; the browser may be talking to another process.
 */
export async function signInAgain(tessera: Pick<TestTessera, "issuer">, browser: BrowserSession, email: string, password: string): Promise<Hop> {
  browser.keepOnlyCookies([knownBrowserCookie.name]);
  const login = await browser.follow(demoAuthorizeUrl(tessera));
  return allowIfAsked(browser, await browser.follow(`${interactionPath(login)}/login`, { form: { email, password } }));
}
