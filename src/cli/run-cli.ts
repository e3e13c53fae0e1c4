/**
 * The operator's CLI as a function: composes the command groups, runs one command line and
 * turns every failure into one line on stderr and an exit code: 0 done, 1 the operation
 * failed or was refused, 2 the command line was wrong (nothing done). main.ts runs it with
 * the process's streams and environment (or sends the command line to a running Tessera,
 * which runs it here too: admin-api-server.ts); tests run it in-process with their own.
 */
import fs from "node:fs";
import os from "node:os";
import { Command, CommanderError } from "commander";
import { ConfigError, type Config } from "../config.js";
import { runWithRequestContext } from "../shared/index.js";
import { registerAuditCommands } from "./audit.js";
import { registerClientCommands } from "./clients.js";
import { registerJobCommands } from "./jobs.js";
import { createCliContext, type CliHost } from "./context.js";
import { registerKeyCommands } from "./keys.js";
import { registerOrgCommands } from "./orgs.js";
import { registerResourceCommands } from "./resources.js";
import { CliError, withOutput, type TextSink } from "./output.js";
import { registerTermsCommands } from "./terms.js";
import { registerUserCommands } from "./users.js";

const { version } = JSON.parse(fs.readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };

/** Where a run reads its settings from and writes its answers to. */
export interface CliIo {
  /** Read only by commands that need settings, so `--help` works with a broken environment. */
  config(): Config;
  stdout: TextSink;
  stderr: TextSink;
}

/** Where the command runs when a running Tessera runs it, and what it tells that Tessera. */
export interface CliRunOptions {
  host?: CliHost;
  /** Told the command's name ("client create") once the command line parsed, before it runs. */
  onCommand?: (name: string) => void;
}

function buildProgram(io: CliIo, options: CliRunOptions): Command {
  const context = createCliContext(io.config, io.stderr, options.host);
  const program = new Command("tessera")
    .description("Operate Tessera: organisations, clients, resource servers, users, signing keys, terms of service and background jobs.\nSettings come from the environment, as for `npm start`.")
    .version(version)
    // Options before the command belong to tessera itself, so `terms publish --version` is the command's.
    .enablePositionalOptions()
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      outputError: (message, write) => write(`${oneLine(message.replace(/^error: /, "tessera: "))}\n`),
    });
  registerOrgCommands(program, context);
  registerClientCommands(program, context);
  registerResourceCommands(program, context);
  registerUserCommands(program, context);
  registerKeyCommands(program, context);
  registerTermsCommands(program, context);
  registerJobCommands(program, context);
  program.hook("preAction", (_program, command) => options.onCommand?.(commandName(command)));
  registerAuditCommands(program, context);
  return program;
}

/** Runs one command line (the arguments after `tessera`); answers the exit code. */
export async function runCli(argv: string[], io: CliIo, options: CliRunOptions = {}): Promise<number> {
  try {
    // What a command changes is recorded as the operator's doing (the audit trail's "who").
    await runWithRequestContext({ operator: operatorName() }, () => withOutput(io.stdout, () => buildProgram(io, options).parseAsync(argv, { from: "user" })));
    return 0;
  } catch (error) {
    return exitCodeFor(error, io.stderr);
  }
}

/**
 * The operating-system account running the command (for a command sent through the admin
 * socket, the account running Tessera: whoever may use the socket acts as it).
 */
function operatorName(): string {
  try {
    return os.userInfo().username;
  } catch {
    return "unknown";
  }
}

function exitCodeFor(error: unknown, stderr: TextSink): number {
  if (error instanceof CommanderError) {
    // Commander has already printed the help, the version or the one-line complaint.
    return error.code === "commander.helpDisplayed" || error.code === "commander.version" ? 0 : 2;
  }
  const message = error instanceof Error ? error.message : String(error);
  stderr.write(`tessera: ${error instanceof CliError || error instanceof ConfigError ? message : lastLine(message)}\n`);
  return error instanceof CliError ? error.exitCode : 1;
}

/** The words that name a command, without its arguments: "client create". */
function commandName(command: Command): string {
  const words: string[] = [];
  for (let at: Command | null = command; at?.parent; at = at.parent) words.unshift(at.name());
  return words.join(" ");
}

function oneLine(text: string): string {
  return text.split("\n").map((line) => line.trim()).filter(Boolean).join(" ");
}

/** Library errors (Prisma's above all) put the cause on their last line, after context. */
function lastLine(text: string): string {
  return text.split("\n").map((line) => line.trim()).filter(Boolean).at(-1) ?? "unexpected error";
}
