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

/** Hours as a whole number from 0 up (9 digits at most, which the database's integer holds). */
export function wholeHours(value: string): number {
  if (!/^\d{1,9}$/.test(value.trim())) throw new InvalidArgumentError("Must be a non-negative whole number of hours.");
  return Number(value);
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
