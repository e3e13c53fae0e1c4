/**
 * `tessera <group> <command>` (`npm run cli -- …`): the operator's CLI process. It reads the
 * settings from the environment, as `npm start` does, and leaves the exit code that the
 * command answered, whether a running Tessera ran it or this process did (operator-command.ts).
 */
import "./quiet-runtime-warning.js";
import { loadConfig } from "../config.js";
import { runOperatorCommand } from "./operator-command.js";

process.exitCode = await runOperatorCommand(process.argv.slice(2), { config: loadConfig, stdout: process.stdout, stderr: process.stderr });
