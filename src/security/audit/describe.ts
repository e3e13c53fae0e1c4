/**
 * Audit records in plain words, for the account page and the CLI: what happened, and a short
 * summary of the browser from its user agent ("Firefox on Linux"), since a raw user agent
 * means little to most people.
 */
import type { AuditedType } from "./recorder.js";
import type { AuditNames, AuditRecord } from "./repository.js";

type Detail = Record<string, unknown>;

const text = (detail: Detail, key: string): string => (typeof detail[key] === "string" ? detail[key] : "");

const describers: Record<AuditedType, (detail: Detail, record: AuditRecord, names: AuditNames) => string> = {
  "account.registered": (detail) => (detail.email ? `Account created with ${text(detail, "email")}` : "Account created"),
  "account.signed-in": (detail, record, names) => `Signed in with ${signInMethods[String(detail.method)] ?? "your password"}${application(record, names)}`,
  "account.sign-in-failed": (detail, record, names) =>
    detail.reason === "unknown-account" ? `Failed sign-in for ${text(detail, "identifier") || "an unknown address"}: no such account` : `Failed sign-in: wrong password${application(record, names)}`,
  "account.signed-out": () => "Signed out",
  "account.name-changed": (detail) => `Name changed to ${text(detail, "name")}`,
  "account.primary-email-changed": (detail) =>
    detail.previousEmail ? `Primary email changed from ${text(detail, "previousEmail")} to ${text(detail, "email")}` : `Primary email ${text(detail, "email")} confirmed`,
  "account.email-added": (detail) => `Email address ${text(detail, "email")} added`,
  "account.email-verified": (detail) => `Email address ${text(detail, "email")} confirmed`,
  "account.email-removed": (detail) => `Email address ${text(detail, "email")} removed`,
  "account.password-changed": (detail) => (detail.via === "reset" ? "Password reset by email link" : "Password changed"),
  "account.password-change-failed": () => "Password change refused: wrong current password",
  "account.sessions-ended": (detail) =>
    detail.reason === "password-reset"
      ? "Signed out everywhere else after the password reset"
      : detail.reason === "password-change"
        ? "Signed out everywhere else after the password change"
        : "Another session signed out from the account page",
  "account.organisation-consent-given": (detail, _record, names) => `Allowed ${names.organisation(text(detail, "organisationId")) ?? "an organisation"} to receive your details`,
  "account.organisation-consent-withdrawn": (detail, _record, names) => `Stopped sharing your details with ${names.organisation(text(detail, "organisationId")) ?? "an organisation"}`,
  "account.application-consent-given": (detail, record, names) =>
    `Allowed ${clientName(record, names)} access${Array.isArray(detail.scopes) && detail.scopes.length ? ` (${detail.scopes.join(", ")})` : ""}`,
  "account.application-revoked": (_detail, record, names) => `Access revoked for ${clientName(record, names)}`,
  "account.wallet-linked": (detail) => `Wallet ${text(detail, "address")} linked`,
  "account.wallet-unlinked": (detail) => `Wallet ${text(detail, "address")} removed`,
  "account.plan-changed": (detail) => `Plan changed to ${text(detail, "plan")}`,
  "account.deleted": () => "Account deleted",
  "sign-in-link.issued": (detail, record, names) => `${clientName(record, names)} asked for a sign-in link for ${text(detail, "email")}`,
  "sign-in-link.used": (detail, record, names) => `Sign-in link for ${text(detail, "email")} from ${clientName(record, names)} opened`,
  "client.secret-rotated": (_detail, record) => `Secret of client ${record.clientId ?? ""} rotated`,
  "keys.rotated": (detail) => `Signing keys added: ${Array.isArray(detail.added) ? detail.added.join(", ") : ""}`,
  "keys.retired": (detail) => `Signing key ${text(detail, "kid")} retired`,
};

const signInMethods: Record<string, string> = { password: "your password", wallet: "your wallet", "sign-in-link": "a sign-in link" };

function clientName(record: AuditRecord, names: AuditNames): string {
  return record.clientId ? (names.client(record.clientId) ?? record.clientId) : "an application";
}

function application(record: AuditRecord, names: AuditNames): string {
  return record.clientId ? ` (for ${clientName(record, names)})` : "";
}

export function describeAuditRecord(record: AuditRecord, names: AuditNames): string {
  return Object.hasOwn(describers, record.type) ? describers[record.type as AuditedType](record.detail, record, names) : record.type;
}

const browsers: [RegExp, string][] = [
  [/\bEdg(?:e|A|iOS)?\//, "Edge"],
  [/\bOPR\/|\bOpera\b/, "Opera"],
  [/\bFirefox\/|\bFxiOS\//, "Firefox"],
  [/(?:\b|Headless)Chrom(?:e|ium)\/|\bCriOS\//, "Chrome"],
  [/\bVersion\/[\d.]+.*\bSafari\//, "Safari"],
  [/^curl\//, "curl"],
  [/^HTTPie\//i, "HTTPie"],
];

const systems: [RegExp, string][] = [
  [/\bAndroid\b/, "Android"],
  [/\biPhone|iPad|iPod\b/, "iOS"],
  [/\bWindows\b/, "Windows"],
  [/\bMac OS X\b|\bMacintosh\b/, "macOS"],
  [/\bCrOS\b/, "ChromeOS"],
  [/\bLinux\b/, "Linux"],
];

/** "Firefox on Linux", "Safari on iOS"; for anything else the first product name, or "Unknown browser". */
export function browserSummary(userAgent: string | null | undefined): string {
  if (!userAgent) return "Unknown browser";
  const browser = browsers.find(([pattern]) => pattern.test(userAgent))?.[1];
  const system = systems.find(([pattern]) => pattern.test(userAgent))?.[1];
  if (browser) return system ? `${browser} on ${system}` : browser;
  const product = /^[\w.-]{1,40}/.exec(userAgent)?.[0];
  return product ? (system ? `${product} on ${system}` : product) : "Unknown browser";
}
