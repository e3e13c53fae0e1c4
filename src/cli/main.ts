/**
 * `tessera <group> <command>` (`npm run cli -- …`): the operator's CLI process. It reads the
 * settings from the environment, as `npm start` does, and leaves the exit code that
 * run-cli.ts answers.
 */
import "./quiet-runtime-warning.js";
import { loadConfig } from "../config.js";
import { runCli } from "./run-cli.js";

process.exitCode = await runCli(process.argv.slice(2), { config: loadConfig, stdout: process.stdout, stderr: process.stderr });
