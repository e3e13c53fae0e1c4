/**
 * Option parsers shared by the command groups. Each refuses a malformed value before any
 * command runs, so commander reports it naming the option, exits 2 and nothing is written.
 */
import { InvalidArgumentError, type Command } from "commander";

/** Every command answers in JSON on request. */
export function withJson(command: Command): Command {
  return command.option("--json", "print machine-readable JSON");
}

/** For repeatable options: `--redirect-uri a --redirect-uri b`. */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** Organisation handles: lower-case letters, digits and inner hyphens, as in a URL. */
export function slug(value: string): string {
  if (!/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(value)) {
    throw new InvalidArgumentError("Must be 1–63 lower-case letters, digits or hyphens, starting and ending with a letter or digit.");
  }
  return value;
}

/**
 * Client ids travel in query strings and in HTTP Basic credentials, where a colon would
 * split them (RFC 6749 §2.3.1): only URL-unreserved characters are accepted.
 */
export function clientId(value: string): string {
  if (!/^[A-Za-z0-9._~-]{1,128}$/.test(value)) throw new InvalidArgumentError("Must be 1–128 letters, digits or . _ ~ - characters.");
  return value;
}

export function text(value: string): string {
  const trimmed = value.trim();
  if (!trimmed) throw new InvalidArgumentError("Must not be empty.");
  if (trimmed.length > 200) throw new InvalidArgumentError("Must be at most 200 characters.");
  return trimmed;
}

/** An absolute http(s) URL for a page people open (privacy policy, terms). */
export function pageUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidArgumentError("Must be an absolute URL such as https://example.com/privacy.");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new InvalidArgumentError("Must be an http or https URL.");
  return value;
}

/** Terms versions end up in forms and audit records: a short token such as 2026-11. */
export function termsVersion(value: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(value)) throw new InvalidArgumentError("Must be 1–64 letters, digits, dots, hyphens or underscores, such as 2026-11.");
  return value;
}

/** A positive whole number of seconds (9 digits at most, which the database's integer holds). */
export function positiveSeconds(value: string): number {
  if (!/^\d{1,9}$/.test(value.trim()) || Number(value) === 0) throw new InvalidArgumentError("Must be a positive whole number of seconds.");
  return Number(value);
}

/** Days a credential stays valid: a whole number from 1 to 365, so that none is forever. */
export function validityDays(value: string): number {
  if (!/^\d{1,3}$/.test(value.trim()) || Number(value) < 1 || Number(value) > 365) throw new InvalidArgumentError("Must be a whole number of days from 1 to 365.");
  return Number(value);
}

const loopbackHosts = new Set(["localhost", "127.0.0.1"]);

/**
 * A resource indicator (RFC 8707 §2): an absolute URI without fragment; https, or http for
 * localhost and 127.0.0.1 (refused in production by the command, which knows the
 * environment). Clients send it verbatim and the provider looks it up as a string, so it
 * must already be in the URL parser's normal form (lower-case host, no default port…).
 */
export function resourceIdentifier(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidArgumentError("Must be an absolute URI such as https://api.example.com.");
  }
  if (/\s/.test(value)) throw new InvalidArgumentError("Must be an absolute URI such as https://api.example.com.");
  if (value.includes("#")) throw new InvalidArgumentError("Must not contain a fragment (#…) (RFC 8707 §2).");
  if (url.protocol !== "https:" && !(url.protocol === "http:" && loopbackHosts.has(url.hostname))) {
    throw new InvalidArgumentError("Must use https (http only for localhost or 127.0.0.1, outside production).");
  }
  // The parser adds a slash to a bare origin; both spellings are common identifiers.
  const normal = url.href === `${url.origin}/` && !value.endsWith("/") ? url.origin : url.href;
  if (value !== normal) throw new InvalidArgumentError(`Must be written as clients will send it, in normal form: ${normal}`);
  return value;
}

/** Whether a resource identifier is plain http (allowed outside production only). */
export function isPlainHttp(identifier: string): boolean {
  return identifier.startsWith("http://");
}

/**
 * Space-separated scope tokens (RFC 6749 §3.3: printable ASCII but space, `"` and `\`);
 * repeated spaces and duplicates are dropped.
 */
export function scopeList(value: string): string {
  const tokens = value.split(" ").filter(Boolean);
  if (!tokens.length) throw new InvalidArgumentError("Must list at least one scope, separated by spaces.");
  const bad = tokens.find((token) => !/^[\x21\x23-\x5B\x5D-\x7E]+$/.test(token));
  if (bad !== undefined) throw new InvalidArgumentError(`${JSON.stringify(bad)} is not a scope: use printable ASCII without quotes or backslashes, separated by spaces.`);
  return [...new Set(tokens)].join(" ");
}
