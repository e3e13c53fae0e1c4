/**
 * One `tessera` command line, wherever it is best run: sent to the Tessera running on this
 * DATA_DIR when one answers on its admin socket (admin-api.ts), so nothing needs stopping
 * and nothing but the command runs; otherwise run here, opening the database as `npm start`
 * does. Both ends run the same runCli, so the output and exit code are the same either way.
 * run-cli.ts and everything behind it load only when needed, so the forwarded path starts fast.
 */
import { ConfigError, type Config } from "../config.js";
import { adminSocketPath, runsLocally } from "./admin-api.js";
import { AdminApiError, sendToRunningTessera } from "./admin-api-client.js";
import type { CliIo } from "./run-cli.js";

export async function runOperatorCommand(argv: string[], io: CliIo): Promise<number> {
  const config = configOrUndefined(io);
  if (config && !runsLocally(argv)) {
    try {
      const answer = await sendToRunningTessera(adminSocketPath(config.dataDir), { argv });
      if (answer) {
        io.stdout.write(answer.stdout);
        io.stderr.write(answer.stderr);
        return answer.exitCode;
      }
    } catch (error) {
      if (!(error instanceof AdminApiError)) throw error;
      io.stderr.write(`tessera: ${error.message}\n`);
      return 1;
    }
  }
  const { runCli } = await import("./run-cli.js");
  return runCli(argv, io);
}

/** A broken configuration is reported by the local run, as it always was (and --help works without one). */
function configOrUndefined(io: CliIo): Config | undefined {
  try {
    return io.config();
  } catch (error) {
    if (error instanceof ConfigError) return undefined;
    throw error;
  }
}
