/**
 * The page a sign-in link leads to must be one of the client's registered targets: an
 * origin (`https://app.example`: any page there) or a path prefix
 * (`https://app.example/billing/`: that page and the pages under it). Nothing else, so a
 * link is never an open redirect (RFC 9700 §4.11).
 *
 * A target is taken only in its canonical form (the WHATWG URL serialisation of itself, as
 * a browser would send it), so what is checked is exactly what the browser will open:
 * `..` and `.` segments, their percent-encoded forms, backslashes, an upper-case or
 * percent-encoded host and credentials in the URL all change the serialisation and are
 * refused rather than normalised. Encoded slashes, backslashes and dots (`%2f`, `%5c`,
 * `%2e`) are refused too: the client's server may decode them into a path outside the
 * prefix after the check.
 */
export type TargetCheck = { ok: true; target: string } | { ok: false; problem: string };

const encodedSeparators = /%(2f|5c|2e)/i;

function parseHttpUrl(value: string): URL | null {
  const url = URL.parse(value);
  return url && (url.protocol === "https:" || url.protocol === "http:") ? url : null;
}

function underPrefix(target: URL, registered: URL): boolean {
  if (target.origin !== registered.origin) return false;
  // A registered URL with a query names one page exactly.
  if (registered.search) return target.href === registered.href;
  const prefix = registered.pathname;
  if (prefix === "/") return true;
  const path = target.pathname;
  return path === prefix || path.startsWith(prefix.endsWith("/") ? prefix : `${prefix}/`);
}

/** Checks a requested target against the client's registered ones; answers it in canonical form. */
export function checkTarget(requested: unknown, registered: readonly string[]): TargetCheck {
  if (typeof requested !== "string" || requested === "") return { ok: false, problem: "target is required: the absolute URL of the page to land on." };
  const url = parseHttpUrl(requested);
  if (!url) return { ok: false, problem: "target must be an absolute http or https URL." };
  if (url.username || url.password) return { ok: false, problem: "target must not carry a user name or password." };
  if (url.hash) return { ok: false, problem: "target must not have a #fragment." };
  // "https://app.example" serialises with its root path: the one difference let through.
  const canonical = url.href === requested || (url.pathname === "/" && !url.search && url.href === `${requested}/`);
  if (!canonical || encodedSeparators.test(url.pathname)) {
    return { ok: false, problem: "target must be a plain URL: no '..' or '.' segments, encoded slashes or dots, backslashes, or encoded or upper-case host names." };
  }
  const allowed = registered.some((entry) => {
    const prefix = parseHttpUrl(entry);
    return prefix !== null && underPrefix(url, prefix);
  });
  if (!allowed) return { ok: false, problem: "target is not one of the client's registered sign-in link targets." };
  return { ok: true, target: url.href };
}
