/**
 * `tessera <group> <command>` (`npm run cli -- …`): the operator's CLI. It composes the
 * command groups and turns every failure into one line on stderr and an exit code:
 * 0 done, 1 the operation failed or was refused, 2 the command line was wrong (nothing done).
 */
import "./quiet-runtime-warning.js";
import fs from "node:fs";
import { Command, CommanderError } from "commander";
import { ConfigError } from "../config.js";
import { registerClientCommands } from "./clients.js";
import { registerJobCommands } from "./jobs.js";
import { createCliContext } from "./context.js";
import { registerKeyCommands } from "./keys.js";
import { registerOrgCommands } from "./orgs.js";
import { registerResourceCommands } from "./resources.js";
import { CliError } from "./output.js";
import { registerTermsCommands } from "./terms.js";
import { registerUserCommands } from "./users.js";

const { version } = JSON.parse(fs.readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };

function buildProgram(): Command {
  const context = createCliContext();
  const program = new Command("tessera")
    .description("Operate Tessera: organisations, clients, resource servers, users, signing keys, terms of service and background jobs.\nSettings come from the environment, as for `npm start`.")
    .version(version)
    // Options before the command belong to tessera itself, so `terms publish --version` is the command's.
    .enablePositionalOptions()
    .exitOverride()
    .configureOutput({ outputError: (message, write) => write(`${oneLine(message.replace(/^error: /, "tessera: "))}\n`) });
  registerOrgCommands(program, context);
  registerClientCommands(program, context);
  registerResourceCommands(program, context);
  registerUserCommands(program, context);
  registerKeyCommands(program, context);
  registerTermsCommands(program, context);
  registerJobCommands(program, context);
  return program;
}

async function runCli(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv, { from: "user" });
    return 0;
  } catch (error) {
    return exitCodeFor(error);
  }
}

function exitCodeFor(error: unknown): number {
  if (error instanceof CommanderError) {
    // Commander has already printed the help, the version or the one-line complaint.
    return error.code === "commander.helpDisplayed" || error.code === "commander.version" ? 0 : 2;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`tessera: ${error instanceof CliError || error instanceof ConfigError ? message : lastLine(message)}\n`);
  return error instanceof CliError ? error.exitCode : 1;
}

function oneLine(text: string): string {
  return text.split("\n").map((line) => line.trim()).filter(Boolean).join(" ");
}

/** Library errors (Prisma's above all) put the cause on their last line, after context. */
function lastLine(text: string): string {
  return text.split("\n").map((line) => line.trim()).filter(Boolean).at(-1) ?? "unexpected error";
}

process.exitCode = await runCli(process.argv.slice(2));
