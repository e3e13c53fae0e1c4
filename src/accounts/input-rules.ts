/**
 * What a name and an email address may look like, with the message shown next to the field
 * when they do not. Both end up in mail bodies and headers and in other sites' databases
 * (the `name` and `email` claims), so they are checked wherever they are written.
 */

export const nameLength = { max: 200 } as const;

/**
 * Control characters (C0, C1, DEL), line and paragraph separators, and the bidirectional
 * overrides and isolates (U+202A–202E, U+2066–2069), which let a name break a mail's lines
 * or reorder the text around it (Trojan Source, CVE-2021-42574). Joiners used in emoji and
 * scripts (U+200C, U+200D) stay allowed.
 */
const forbiddenInName = /[\p{Cc}\p{Zl}\p{Zp}\u202A-\u202E\u2066-\u2069]/u;

/** For a name already trimmed. */
export function nameProblem(name: string): string | undefined {
  if (!name) return "Enter your name.";
  if (name.length > nameLength.max) return `Use at most ${nameLength.max} characters.`;
  if (forbiddenInName.test(name)) return "Use letters, spaces and punctuation only: a name cannot hold line breaks, tabs or other control characters.";
  return undefined;
}

/**
 * An address mail can be delivered to (RFC 5321 §4.1.2 and §4.5.3.1, with RFC 6531's
 * UTF-8 letters): one @; a local part of at most 64 octets made of letters, digits and
 * RFC 5322 `atext`, with single dots between them (quoted local parts, legal but unused in
 * practice, are refused); a domain of at least two labels, each 1–63 letters, digits or
 * hyphens not at either end; at most 254 octets in all (the 256-octet path less its angle
 * brackets). No spaces or control characters anywhere.
 */
const localPart = /^[\p{L}\p{N}!#$%&'*+/=?^_`{|}~-]+(\.[\p{L}\p{N}!#$%&'*+/=?^_`{|}~-]+)*$/u;
const domainLabel = /^[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?$/u;
const octets = (text: string) => Buffer.byteLength(text, "utf8");

/** For an address already trimmed. */
export function emailProblem(address: string): string | undefined {
  const example = "Enter an email address like name@example.com.";
  if (!address) return example;
  if (/[\s\p{Cc}\p{Zl}\p{Zp}]/u.test(address)) return "An email address has no spaces, line breaks or other control characters.";
  const at = address.lastIndexOf("@");
  const local = address.slice(0, at);
  const domain = address.slice(at + 1);
  if (at <= 0 || !domain || local.includes("@")) return example;
  if (octets(address) > 254) return "Use at most 254 characters: no longer address can receive mail.";
  if (octets(local) > 64) return "The part before @ can be at most 64 characters.";
  if (!localPart.test(local)) return example;
  const labels = domain.split(".");
  if (labels.length < 2) return "Enter the whole domain after @, like example.com.";
  if (!labels.every((label) => octets(label) <= 63 && domainLabel.test(label))) return "The part after @ is not a domain name. Enter one like example.com.";
  return undefined;
}
