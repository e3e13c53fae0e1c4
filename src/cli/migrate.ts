/**
 * `npm run db:migrate`: applies pending migrations to the configured database (the same
 * step `npm start` runs first), for deployments that migrate before rolling out.
 */
import { ConfigError, loadConfig } from "../config.js";
import { openDatabase, applyMigrations } from "../db/index.js";

try {
  const config = loadConfig();
  const db = await openDatabase(config.database);
  try {
    const applied = await applyMigrations(db.sql);
    console.log(applied.length ? `Applied ${applied.join(", ")}` : "Database is up to date");
  } finally {
    await db.close();
  }
} catch (error) {
  console.error(`tessera: ${error instanceof ConfigError || error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
