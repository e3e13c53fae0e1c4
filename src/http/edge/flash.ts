/**
 * Post/redirect/get for page forms: a form's result is said on the page the browser is
 * sent to (303), so the address bar never holds a POST URL that a reload or the back button
 * would send again. The message rides in a one-shot cookie: HMAC-signed with the cookie
 * keys in KEYS_DIR (the first signs, every one verifies), so nobody else — a sibling
 * subdomain, say — can make Tessera's page say something; scoped to the page's path; read
 * once and cleared; gone after a minute if the redirect is never followed.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import type { ParameterizedContext } from "koa";

const cookieName = "tessera.flash";
const maxAgeMs = 60_000;
/** A result message is a sentence or two; a cookie must stay well under 4 kB. */
const maxLength = 1000;

export interface Flash {
  /** Answers 303 to `path`, which will show `message` once. */
  redirect(ctx: ParameterizedContext, path: string, message: string): void;
  /** The message left for this page, if any; clears it. */
  take(ctx: ParameterizedContext, path: string): string | undefined;
}

export function createFlash(keys: readonly string[], options: { secure: boolean }): Flash {
  const [signingKey] = keys;
  if (!signingKey) throw new Error("flash messages need at least one cookie key");
  const mac = (key: string, text: string) => createHmac("sha256", key).update(`flash\n${text}`).digest("base64url");
  const cookie = (path: string) => ({ path, httpOnly: true, sameSite: "lax" as const, secure: options.secure, overwrite: true });

  return {
    redirect(ctx, path, message) {
      const payload = Buffer.from(message.slice(0, maxLength)).toString("base64url");
      ctx.cookies.set(cookieName, `${payload}.${mac(signingKey, payload)}`, { ...cookie(path), maxAge: maxAgeMs });
      ctx.status = 303;
      ctx.redirect(path);
    },
    take(ctx, path) {
      const value = ctx.cookies.get(cookieName);
      if (!value) return undefined;
      ctx.cookies.set(cookieName, null, cookie(path));
      const [payload, signature] = value.split(".");
      if (!payload || !signature) return undefined;
      const given = Buffer.from(signature);
      const valid = keys.some((key) => {
        const expected = Buffer.from(mac(key, payload));
        return expected.length === given.length && timingSafeEqual(expected, given);
      });
      return valid ? Buffer.from(payload, "base64url").toString("utf8") : undefined;
    },
  };
}
