/**
 * `npm start`: read the configuration, start Tessera, stop cleanly on SIGINT/SIGTERM.
 * Start-up failures end in one clear log line and a non-zero exit.
 */
import { ConfigError, loadConfig, type Config } from "./config.js";
import { DataDirLockedError } from "./db/data-dir-lock.js";
import { DatabaseUnavailableError } from "./db/database.js";
import { MigrationError } from "./db/migrate.js";
import { startTessera } from "./server.js";
import { createLogger } from "./shared/log.js";

const shutdownGraceMs = 10_000;

let config: Config;
try {
  config = loadConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(`tessera: ${error.message}. See .env.example for every setting.`);
  process.exit(1);
}

const log = createLogger(config.log);
try {
  const tessera = await startTessera(config, { log });
  log.info(
    { issuer: config.issuer, database: config.database.kind, discovery: `${config.issuer}/.well-known/openid-configuration` },
    "tessera is listening",
  );
  const stop = (signal: string) => {
    log.info({ signal }, "shutting down");
    setTimeout(() => {
      log.error("shutdown took too long; exiting");
      process.exit(1);
    }, shutdownGraceMs).unref();
    tessera.close().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error({ err: error }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
} catch (error) {
  if (error instanceof DatabaseUnavailableError || error instanceof MigrationError || error instanceof DataDirLockedError) {
    log.fatal({ reason: error.message }, "cannot start: database problem");
  } else {
    log.fatal({ err: error }, "cannot start");
  }
  // Let the log transport flush before exiting.
  setTimeout(() => process.exit(1), 100);
}
