/**
 * The db room's public surface. The generated Prisma client (src/generated) is part of
 * this room: other rooms get its namespace and model types from here, never from
 * src/generated directly, so the schema's reach is visible in one file.
 */
export { DataDirLockedError, lockDataDir } from "./data-dir-lock.js";
export { DatabaseUnavailableError, openDatabase, type Database, type DatabaseTarget, type PrismaClient, type SqlRunner } from "./database.js";
export { applyMigrations, MigrationError, migrationsDir, readMigrations, type Migration } from "./migrate.js";
export { Prisma } from "../generated/prisma/client.js";
export type * from "../generated/prisma/client.js";
