/**
 * How every command answers. With --json: one JSON document on stdout, dates as ISO
 * strings, for scripts. Otherwise aligned text for people. Failures are a CliError: one line
 * on stderr and an exit code — 2 when the command line itself is wrong (nothing was done),
 * 1 when the operation could not be carried out.
 *
 * Commands print through the functions below to the stdout of the run they belong to
 * (run-cli.ts sets it with `withOutput`): the process's own for the `tessera` command, a
 * test's buffer when a test runs a command in-process, even several at once.
 */
import { AsyncLocalStorage } from "node:async_hooks";

/** Anything text can be written to: a process stream, or a test's buffer. */
export interface TextSink {
  write(text: string): unknown;
}

const currentOutput = new AsyncLocalStorage<TextSink>();

/** Runs `run` with every print of its commands going to `stdout`. */
export function withOutput<T>(stdout: TextSink, run: () => Promise<T>): Promise<T> {
  return currentOutput.run(stdout, run);
}

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = "CliError";
  }
}

/** A value on the command line that fails validation; nothing has been done yet. */
export class UsageError extends CliError {
  constructor(message: string) {
    super(message, 2);
    this.name = "UsageError";
  }
}

export interface OutputOptions {
  json?: boolean;
}

export interface Column<Row> {
  header: string;
  value: (row: Row) => unknown;
}

/** A list: a table for people, an array for machines. */
export function printList<Row>(options: OutputOptions, rows: Row[], columns: Column<Row>[], json: (row: Row) => unknown = (row) => row): void {
  if (options.json) return writeJson(rows.map(json));
  if (!rows.length) return writeLine("(none)");
  const cells = [columns.map((column) => column.header), ...rows.map((row) => columns.map((column) => formatValue(column.value(row))))];
  const widths = columns.map((_, index) => Math.max(...cells.map((line) => line[index]!.length)));
  for (const line of cells) writeLine(line.map((cell, index) => (index === line.length - 1 ? cell : cell.padEnd(widths[index]!))).join("  "));
}

/** One record: `label  value` lines for people, an object for machines. */
export function printRecord(options: OutputOptions, fields: [label: string, value: unknown][], json: unknown): void {
  if (options.json) return writeJson(json);
  const width = Math.max(...fields.map(([label]) => label.length));
  for (const [label, value] of fields) writeLine(`${`${label}:`.padEnd(width + 1)}  ${formatValue(value)}`);
}

/** A short confirmation of what was done. */
export function printDone(options: OutputOptions, message: string, json: unknown): void {
  if (options.json) return writeJson(json);
  writeLine(message);
}

export function formatValue(value: unknown): string {
  if (value === undefined || value === null || value === "") return "-";
  if (value instanceof Date) return value.toISOString().replace(/\.\d{3}Z$/, "Z");
  if (typeof value === "boolean") return value ? "yes" : "no";
  if (Array.isArray(value)) return value.length ? value.map(formatValue).join(", ") : "-";
  if (typeof value === "string") return value;
  // A nested object is shown as JSON rather than "[object Object]".
  return typeof value === "object" ? JSON.stringify(value) : String(value as number | bigint | symbol);
}

function writeJson(value: unknown): void {
  writeLine(JSON.stringify(value, null, 2));
}

function writeLine(text: string): void {
  (currentOutput.getStore() ?? process.stdout).write(`${text}\n`);
}
