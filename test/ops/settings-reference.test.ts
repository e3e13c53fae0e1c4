/**
 * The settings reference in README.md is generated from src/config.ts
 * (scripts/settings-reference.ts), and .env.example lists the same settings: adding a setting
 * without documenting it fails here.
 */
import fs from "node:fs/promises";
import path from "node:path";
import { parseEnv } from "node:util";
import { configPath, endMarker, readmePath, renderSettingsTable, startMarker, withSettingsTable } from "../../scripts/settings-reference.js";
import { settings } from "../../src/config.js";

test("README.md's settings reference is what `npm run docs:settings` writes from src/config.ts", async () => {
  const readme = await fs.readFile(readmePath, "utf8");
  expect(readme).toBe(withSettingsTable(readme, renderSettingsTable()));
});

test("the reference lists every setting with its default", async () => {
  const table = renderSettingsTable();
  for (const name of Object.keys(settings)) expect(table).toContain(`| \`${name}\` |`);
  expect(table).toContain("| `PORT` | `3000` |");
  expect(table).toContain("| `TRUST_PROXY` | `false` |");
  expect(table).toContain("| `SMTP_URL` | unset |");
});

test("a setting without a doc comment stops the generator, naming the setting", async () => {
  const source = await fs.readFile(configPath, "utf8");
  const undocumented = source.replace(/\/\*\*[^/]*\*\/\s*(MAIL_FROM:)/, "$1");
  expect(undocumented).not.toBe(source);
  expect(() => renderSettingsTable(undocumented)).toThrow("MAIL_FROM in src/config.ts has no doc comment");
});

test("README.md with the markers missing is refused rather than silently left alone", () => {
  expect(() => withSettingsTable("# no markers here\n", "| table |")).toThrow(startMarker);
  expect(withSettingsTable(`a\n${startMarker}\nold\n${endMarker}\nb`, "new")).toBe(`a\n${startMarker}\nnew\n${endMarker}\nb`);
});

test(".env.example names every setting, and nothing else", async () => {
  const example = parseEnv(await fs.readFile(path.join(path.dirname(readmePath), ".env.example"), "utf8"));
  expect(Object.keys(example).sort()).toEqual(Object.keys(settings).sort());
});
