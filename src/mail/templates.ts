/**
 * Renders a mail from views/mail: `<template>.html.ejs` framed by `_layout.html.ejs`, and
 * `<template>.text.ejs` for clients that show plain text. Rules:
 * - subjects, the variables each template needs and its button live in one table below;
 * - a template gets only the variables it declares, so nothing a caller passes by mistake
 *   reaches ejs (whose options share names with locals such as `client` or `filename`);
 * - every variable is output with `<%=`: HTML-escaped in the HTML part, as-is in the text;
 * - the operator's brand (BRAND_* settings) names the service in subjects and bodies
 *   (`brandName`), and the layout shows its logo, colour and help link. Mail clients drop
 *   style sheets, so here (unlike pages) the colour is written inline.
 */
import path from "node:path";
import ejs from "ejs";

export type MailTemplate = "registration" | "registration-attempt" | "add-email" | "password-reset" | "address-in-use" | "password-changed" | "email-changed" | "sign-in-link";

/** How mails present the service; by default Tessera's own look. */
export interface MailBrand {
  name: string;
  /** Six-digit hex, readable on white: buttons and links. */
  color: string;
  /** Absolute URL of the logo shown above the mail. */
  logoUrl?: string;
  supportUrl?: string;
}

export const defaultMailBrand: MailBrand = { name: "Tessera", color: "#2f5d50" };

export interface RenderedMail {
  subject: string;
  html: string;
  text: string;
}

interface TemplateSpec {
  subject: (brandName: string) => string;
  variables: readonly string[];
  /** The call to action the layout shows as a button plus the raw link for copy-paste. */
  action?: { label: string; variable: string };
}

const templates: Record<MailTemplate, TemplateSpec> = {
  registration: {
    subject: () => "Confirm your email address",
    variables: ["name", "link", "expiresIn"],
    action: { label: "Confirm my email address", variable: "link" },
  },
  // To an address that already has an account: nothing in it changes anything, so it
  // carries no confirmation link, only the ways in that already exist.
  "registration-attempt": {
    subject: (brandName) => `Someone tried to create a ${brandName} account with your email address`,
    variables: ["name", "signInLink", "resetLink"],
    action: { label: "Sign in", variable: "signInLink" },
  },
  "add-email": {
    subject: () => "Confirm your new email address",
    variables: ["name", "address", "link", "expiresIn"],
    action: { label: "Confirm this address", variable: "link" },
  },
  "password-reset": {
    subject: (brandName) => `Reset your ${brandName} password`,
    variables: ["name", "link", "expiresIn"],
    action: { label: "Choose a new password", variable: "link" },
  },
  "address-in-use": {
    subject: (brandName) => `Someone tried to add your email address to a ${brandName} account`,
    variables: ["address"],
  },
  /** The first sign-in through an application's sign-in link confirms the address (src/signin-links). */
  "sign-in-link": {
    subject: () => "Confirm your email address",
    variables: ["application", "link", "expiresIn"],
    action: { label: "Confirm and continue", variable: "link" },
  },
  // Security notices (ASVS 5.0 6.3.7): what changed, when, from where, and the way back.
  "password-changed": {
    subject: (brandName) => `Your ${brandName} password was changed`,
    variables: ["name", "how", "when", "where", "resetLink"],
    action: { label: "Reset my password", variable: "resetLink" },
  },
  "email-changed": {
    subject: (brandName) => `The email address of your ${brandName} account was changed`,
    variables: ["name", "oldAddress", "newAddress", "when", "where", "resetLink"],
    action: { label: "Reset my password", variable: "resetLink" },
  },
};

export const mailTemplates = Object.keys(templates) as MailTemplate[];

export const mailViewsDir = path.resolve(import.meta.dirname, "../../views/mail");

export function isMailTemplate(value: string): value is MailTemplate {
  return Object.hasOwn(templates, value);
}

export function mailSubject(template: MailTemplate, brand: MailBrand = defaultMailBrand): string {
  return templates[template].subject(brand.name);
}

/** The declared variables the caller left out or left empty (empty list: all present). */
export function missingVariables(template: MailTemplate, variables: Record<string, string>): string[] {
  return templates[template].variables.filter((name) => typeof variables[name] !== "string" || variables[name] === "");
}

/** Only the variables the template declares; what else a caller passed is dropped. */
export function pickVariables(template: MailTemplate, variables: Record<string, string>): Record<string, string> {
  return Object.fromEntries(templates[template].variables.map((name) => [name, variables[name] ?? ""]));
}

export async function renderMail(template: MailTemplate, variables: Record<string, string>, brand: MailBrand = defaultMailBrand): Promise<RenderedMail> {
  const missing = missingVariables(template, variables);
  if (missing.length > 0) {
    throw new TypeError(`Mail template ${template} needs ${missing.join(", ")}`);
  }
  const spec = templates[template];
  const subject = spec.subject(brand.name);
  const locals: Record<string, string> = { ...pickVariables(template, variables), brandName: brand.name };
  const action = spec.action ? { label: spec.action.label, link: locals[spec.action.variable] } : undefined;
  const content = await renderFile(`${template}.html.ejs`, locals, escapeHtml);
  const html = await renderFile("_layout.html.ejs", { subject, content, action, brand }, escapeHtml);
  const text = await renderFile(`${template}.text.ejs`, { ...locals, supportUrl: brand.supportUrl }, keepText);
  return { subject, html, text };
}

const escapeHtml = ejs.escapeXML;
// Plain text is not markup: escaping would show "O&#39;Brien" to the reader.
const keepText = (value: unknown) => String(value);

function renderFile(file: string, data: Record<string, unknown>, escape: (value: unknown) => string): Promise<string> {
  // Passing options as the third argument stops ejs from reading options out of `data`.
  return ejs.renderFile(path.join(mailViewsDir, file), data, { cache: true, escape, async: false });
}
