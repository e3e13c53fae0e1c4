/**
 * Browsers known to an address: after a successful password sign-in, the browser gets a
 * signed cookie naming the address (as a keyed hash, so the cookie does not reveal it) and a
 * random mark of its own. This is OWASP's "device cookie" answer to lockout attacks
 * (OWASP "Slow Down Online Guessing Attacks with Device Cookies"): an attacker who hammers an
 * account from elsewhere fills the limits of browsers the account does not know, while its
 * owner's browser is counted on its own (see sign-in.ts). Chosen over "addresses the account
 * signed in from before" because an attacker can share the owner's address (a campus, a
 * carrier's NAT) and the owner's address changes (a phone on the move); a cookie is neither.
 *
 * The cookie holds at most `maxEntries` addresses (a shared family computer); it is signed
 * with the cookie keys in KEYS_DIR (the first signs, every one verifies, so adding a key
 * keeps existing cookies valid).
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

export const knownBrowserCookie = { name: "tessera.known", maxAgeDays: 180 } as const;

const maxEntries = 5;

export interface KnownBrowsers {
  /** This browser's mark for the address, if it signed in with that address before. */
  markFor(cookie: string | undefined, address: string): string | undefined;
  /** The cookie's new value once the browser signed in with the address. */
  remember(cookie: string | undefined, address: string): string;
}

interface Entry {
  tag: string;
  mark: string;
}

export function createKnownBrowsers(keys: readonly string[]): KnownBrowsers {
  const [signingKey] = keys;
  if (!signingKey) throw new Error("known browsers need at least one cookie key");
  const mac = (key: string, text: string) => createHmac("sha256", key).update(text).digest("base64url");
  const tagOf = (address: string) => mac(signingKey, `known-browser-address\n${address.trim().toLowerCase()}`).slice(0, 22);

  function read(cookie: string | undefined): Entry[] {
    const [payload, signature] = (cookie ?? "").split("!");
    if (!payload || !signature) return [];
    const given = Buffer.from(signature);
    const valid = keys.some((key) => {
      const expected = Buffer.from(mac(key, payload));
      return expected.length === given.length && timingSafeEqual(expected, given);
    });
    if (!valid) return [];
    return payload.split("~").flatMap((item) => {
      const [tag, mark] = item.split(".");
      return tag && mark ? [{ tag, mark }] : [];
    });
  }

  return {
    markFor(cookie, address) {
      const tag = tagOf(address);
      return read(cookie).find((entry) => entry.tag === tag)?.mark;
    },
    remember(cookie, address) {
      const tag = tagOf(address);
      const entries = read(cookie);
      const mark = entries.find((entry) => entry.tag === tag)?.mark ?? randomBytes(16).toString("base64url");
      const kept = [{ tag, mark }, ...entries.filter((entry) => entry.tag !== tag)].slice(0, maxEntries);
      const payload = kept.map((entry) => `${entry.tag}.${entry.mark}`).join("~");
      return `${payload}!${mac(signingKey, payload)}`;
    },
  };
}

/** The request's cookies, as Koa's ctx.cookies offers them. */
export interface CookieJar {
  get(name: string): string | undefined;
  set(name: string, value: string, options: { httpOnly: boolean; sameSite: "lax"; secure: boolean; maxAge: number }): unknown;
}

/**
 * Marks this browser known to each address: after a password sign-in (the address typed) and
 * after a password reset (the address the link was mailed to, which the browser's user has
 * just proved to hold — so an attacker who filled the limits of unknown browsers cannot keep
 * the owner out of the browser they reset in).
 */
export function markBrowserKnown(knownBrowsers: KnownBrowsers, cookies: CookieJar, addresses: readonly string[], secure: boolean): void {
  let value = cookies.get(knownBrowserCookie.name);
  for (const address of addresses) value = knownBrowsers.remember(value, address);
  if (value === undefined) return;
  cookies.set(knownBrowserCookie.name, value, { httpOnly: true, sameSite: "lax", secure, maxAge: knownBrowserCookie.maxAgeDays * 86_400_000 });
}
