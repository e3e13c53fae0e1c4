/**
 * `npm run db:migration -- <name>`: writes the next migration for the changes made to
 * prisma/schema.prisma, as `prisma migrate dev --create-only` would, in Prisma's own folder
 * format so that `prisma migrate deploy` and src/db/migrate.ts can both apply it.
 */
import fs from "node:fs/promises";
import path from "node:path";
import { diffMigrationsToSchema, lockfileContent, migrationsPath } from "./schema-diff.js";

const usage = "Usage: npm run db:migration -- <name>   (name: lower-case letters, digits and _)";

/** Prisma names folders by the UTC time of creation, so they sort in the order they were made. */
function timestamp(now: Date): string {
  return now.toISOString().replace(/\D/g, "").slice(0, 14);
}

async function main(args: string[]): Promise<number> {
  const [name, ...extra] = args;
  if (!name || extra.length > 0 || !/^[a-z0-9_]+$/.test(name)) {
    console.error(name ? `Invalid migration name "${args.join(" ")}".\n${usage}` : `Missing migration name.\n${usage}`);
    return 1;
  }

  const script = await diffMigrationsToSchema();
  if (!script) {
    console.log("No schema changes");
    return 0;
  }

  const directory = path.join(migrationsPath, `${timestamp(new Date())}_${name}`);
  // Without recursive, mkdir fails on an existing folder instead of overwriting a migration.
  await fs.mkdir(migrationsPath, { recursive: true });
  await fs.mkdir(directory);
  await fs.writeFile(path.join(directory, "migration.sql"), script, "utf8");
  await fs.writeFile(path.join(migrationsPath, "migration_lock.toml"), lockfileContent, { encoding: "utf8", flag: "wx" }).catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  });
  console.log(`Created ${path.relative(process.cwd(), path.join(directory, "migration.sql"))}`);
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
