/**
 * Writes the settings reference in README.md from src/config.ts, so that it cannot drift
 * from what Tessera accepts (node-oidc-provider builds its docs from its defaults' comments
 * the same way). The names and defaults come from the schema itself; each setting's
 * meaning is its doc comment in config.ts, read with the TypeScript parser. A setting
 * without a doc comment is an error, not a blank row.
 *
 * `npm run docs:settings` rewrites the table; test/ops/settings-reference.test.ts fails
 * when README.md differs from what this would write.
 */
import fs from "node:fs";
import path from "node:path";
import ts from "typescript";
import { settings } from "../src/config.js";

const root = path.resolve(import.meta.dirname, "..");
export const configPath = path.join(root, "src/config.ts");
export const readmePath = path.join(root, "README.md");
export const startMarker = "<!-- settings:start — generated from src/config.ts by `npm run docs:settings`; do not edit by hand -->";
export const endMarker = "<!-- settings:end -->";

interface Setting {
  name: string;
  default: string;
  description: string;
}

/** Each property's doc comment in config.ts's source, by property name. */
export function docComments(source: string): Map<string, string> {
  const file = ts.createSourceFile(configPath, source, ts.ScriptTarget.Latest, true);
  const comments = new Map<string, string>();
  const visit = (node: ts.Node): void => {
    if (ts.isPropertyAssignment(node) && ts.isIdentifier(node.name)) {
      const text = ts
        .getJSDocCommentsAndTags(node)
        .filter(ts.isJSDoc)
        .map((doc) => ts.getTextOfJSDocComment(doc.comment) ?? "")
        .join(" ")
        .replace(/\s+/g, " ")
        .trim();
      if (text) comments.set(node.name.text, text);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return comments;
}

function defaultOf(schema: (typeof settings)[keyof typeof settings]): string {
  const parsed = schema.safeParse(undefined);
  return parsed.success && parsed.data !== undefined ? `\`${String(parsed.data)}\`` : "unset";
}

export function describeSettings(source: string): Setting[] {
  const comments = docComments(source);
  return Object.entries(settings).map(([name, schema]) => {
    const description = comments.get(name);
    if (!description) throw new Error(`${name} in src/config.ts has no doc comment; say what it does and what its default means`);
    return { name, default: defaultOf(schema), description };
  });
}

export function renderSettingsTable(source = fs.readFileSync(configPath, "utf8")): string {
  const cell = (text: string) => text.replaceAll("|", "\\|");
  const rows = describeSettings(source).map((setting) => `| \`${setting.name}\` | ${cell(setting.default)} | ${cell(setting.description)} |`);
  return ["| Setting | Default | Meaning |", "| --- | --- | --- |", ...rows].join("\n");
}

/** README.md with the text between the markers replaced by `table`. */
export function withSettingsTable(readme: string, table: string): string {
  const start = readme.indexOf(startMarker);
  const end = readme.indexOf(endMarker);
  if (start < 0 || end < start) throw new Error(`README.md needs the markers ${startMarker} and ${endMarker}`);
  return `${readme.slice(0, start + startMarker.length)}\n${table}\n${readme.slice(end)}`;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const readme = fs.readFileSync(readmePath, "utf8");
  fs.writeFileSync(readmePath, withSettingsTable(readme, renderSettingsTable()));
}
