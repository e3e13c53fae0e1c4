/**
 * Renders a mail from views/mail: `<template>.html.ejs` framed by `_layout.html.ejs`, and
 * `<template>.text.ejs` for clients that show plain text. Rules:
 * - subjects, the variables each template needs and its button live in one table below;
 * - a template gets only the variables it declares, so nothing a caller passes by mistake
 *   reaches ejs (whose options share names with locals such as `client` or `filename`);
 * - every variable is output with `<%=`: HTML-escaped in the HTML part, as-is in the text.
 */
import path from "node:path";
import ejs from "ejs";

export type MailTemplate = "registration" | "add-email" | "password-reset" | "address-in-use";

export interface RenderedMail {
  subject: string;
  html: string;
  text: string;
}

interface TemplateSpec {
  subject: string;
  variables: readonly string[];
  /** The call to action the layout shows as a button plus the raw link for copy-paste. */
  action?: { label: string; variable: string };
}

const templates: Record<MailTemplate, TemplateSpec> = {
  registration: {
    subject: "Confirm your email address",
    variables: ["name", "link", "expiresIn"],
    action: { label: "Confirm my email address", variable: "link" },
  },
  "add-email": {
    subject: "Confirm your new email address",
    variables: ["name", "address", "link", "expiresIn"],
    action: { label: "Confirm this address", variable: "link" },
  },
  "password-reset": {
    subject: "Reset your Tessera password",
    variables: ["name", "link", "expiresIn"],
    action: { label: "Choose a new password", variable: "link" },
  },
  "address-in-use": {
    subject: "Someone tried to add your email address to a Tessera account",
    variables: ["address"],
  },
};

export const mailTemplates = Object.keys(templates) as MailTemplate[];

export const mailViewsDir = path.resolve(import.meta.dirname, "../../views/mail");

export function isMailTemplate(value: string): value is MailTemplate {
  return Object.hasOwn(templates, value);
}

export function mailSubject(template: MailTemplate): string {
  return templates[template].subject;
}

/** The declared variables the caller left out or left empty (empty list: all present). */
export function missingVariables(template: MailTemplate, variables: Record<string, string>): string[] {
  return templates[template].variables.filter((name) => typeof variables[name] !== "string" || variables[name] === "");
}

/** Only the variables the template declares; what else a caller passed is dropped. */
export function pickVariables(template: MailTemplate, variables: Record<string, string>): Record<string, string> {
  return Object.fromEntries(templates[template].variables.map((name) => [name, variables[name] ?? ""]));
}

export async function renderMail(template: MailTemplate, variables: Record<string, string>): Promise<RenderedMail> {
  const missing = missingVariables(template, variables);
  if (missing.length > 0) {
    throw new TypeError(`Mail template ${template} needs ${missing.join(", ")}`);
  }
  const spec = templates[template];
  const locals = pickVariables(template, variables);
  const action = spec.action ? { label: spec.action.label, link: locals[spec.action.variable] } : undefined;
  const content = await renderFile(`${template}.html.ejs`, locals, escapeHtml);
  const html = await renderFile("_layout.html.ejs", { subject: spec.subject, content, action }, escapeHtml);
  const text = await renderFile(`${template}.text.ejs`, locals, keepText);
  return { subject: spec.subject, html, text };
}

const escapeHtml = ejs.escapeXML;
// Plain text is not markup: escaping would show "O&#39;Brien" to the reader.
const keepText = (value: unknown) => String(value);

function renderFile(file: string, data: Record<string, unknown>, escape: (value: unknown) => string): Promise<string> {
  // Passing options as the third argument stops ejs from reading options out of `data`.
  return ejs.renderFile(path.join(mailViewsDir, file), data, { cache: true, escape, async: false });
}
