/**
 * Reading Tessera's HTML as a person reads the page: the heading, the notice, the message
 * under a field, a field's value, a form's action and inputs.
 */
import type { Hop } from "./browser-session.js";

export function decodeEntities(value: string): string {
  return value
    .replace(/&#34;|&quot;/g, '"')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

/** The visible text of an HTML fragment: tags dropped, entities decoded, whitespace collapsed. */
export function textOf(html: string): string {
  return decodeEntities(html.replace(/<[^>]*>/g, " ")).replace(/\s+/g, " ").trim();
}

export function h1Of(html: string): string | undefined {
  const match = /<h1[^>]*>([\s\S]*?)<\/h1>/.exec(html);
  return match ? textOf(match[1]!) : undefined;
}

/** The page's <h1>, or what the hop was instead, to say which page it is in failure messages. */
export function heading(hop: Hop): string {
  return h1Of(hop.body) ?? `(no h1; status ${hop.status}, location ${hop.location ?? "-"})`;
}

/** The text of the page's notice (role="status"), or undefined. */
export function noticeOf(html: string): string | undefined {
  const match = /<p class="notice" role="status">([\s\S]*?)<\/p>/.exec(html);
  return match ? textOf(match[1]!) : undefined;
}

/** The error message shown under a form field, or undefined. */
export function fieldErrorOf(html: string, name: string): string | undefined {
  const match = new RegExp(`<p class="error" id="${name}-error">([\\s\\S]*?)</p>`).exec(html);
  return match ? textOf(match[1]!).replace(/^⚠\s*/, "") : undefined;
}

/** The value attribute of the input named `name`. */
export function inputValueOf(html: string, name: string): string | undefined {
  const input = new RegExp(`<input id="${name}" name="${name}"[^>]*>`).exec(html)?.[0];
  if (!input) return undefined;
  const value = /value="([^"]*)"/.exec(input)?.[1];
  return value === undefined ? undefined : decodeEntities(value);
}

/** The hidden inputs and action of the form with `id` in an HTML page. */
export function formById(html: string, id: string): { action: string; fields: Record<string, string> } {
  const match = new RegExp(`<form[^>]*id="${id.replace(/\./g, "\\.")}"[^>]*>([\\s\\S]*?)</form>`).exec(html);
  if (!match) throw new Error(`no form #${id} in:\n${html.slice(0, 2000)}`);
  const action = /action="([^"]*)"/.exec(match[0])?.[1];
  if (!action) throw new Error(`form #${id} has no action`);
  const fields: Record<string, string> = {};
  for (const input of match[1]!.matchAll(/<input[^>]*>/g)) {
    const name = /name="([^"]*)"/.exec(input[0])?.[1];
    const value = /value="([^"]*)"/.exec(input[0])?.[1] ?? "";
    if (name) fields[name] = decodeEntities(value);
  }
  return { action: decodeEntities(action), fields };
}

/** The first form in `html` whose markup matches `contains`: its action and every input's value. */
export function htmlForm(html: string, contains: RegExp): { action: string; method: string; fields: Record<string, string> } {
  const form = [...html.matchAll(/<form\b[^>]*>[\s\S]*?<\/form>/g)].map((match) => match[0]).find((markup) => contains.test(markup));
  if (!form) throw new Error(`no form matching ${contains} in:\n${html.slice(0, 2000)}`);
  const start = /<form\b[^>]*>/.exec(form)![0];
  const fields: Record<string, string> = {};
  for (const input of form.matchAll(/<input\b[^>]*>/g)) {
    const name = /\bname="([^"]*)"/.exec(input[0])?.[1];
    if (name) fields[name] = decodeEntities(/\bvalue="([^"]*)"/.exec(input[0])?.[1] ?? "");
  }
  return {
    action: decodeEntities(/\baction="([^"]*)"/.exec(start)?.[1] ?? ""),
    method: (/\bmethod="([^"]*)"/.exec(start)?.[1] ?? "get").toLowerCase(),
    fields,
  };
}

/** The <label for=id> text and the <input id=id> markup of a form field (fails if either is missing). */
export function labelledInput(html: string, id: string): { label: string; input: string } {
  const label = new RegExp(`<label[^>]*\\bfor="${id}"[^>]*>([\\s\\S]*?)</label>`).exec(html)?.[1]?.trim();
  const input = new RegExp(`<input\\b[^>]*\\bid="${id}"[^>]*>`).exec(html)?.[0];
  if (label === undefined || input === undefined) throw new Error(`no labelled field #${id} in:\n${html.slice(0, 3000)}`);
  return { label, input: input.replace(/\s+/g, " ") };
}
