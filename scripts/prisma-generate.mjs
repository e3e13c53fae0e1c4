/**
 * Generates the Prisma client offline, and only when schema.prisma changed since the last
 * generation (the CLI alone takes seconds to load, and this runs before every start).
 * `prisma generate` does not use the schema engine, but the CLI looks for one first and
 * tries to download it when it is missing; pointing it at any existing file skips that.
 * Generating takes about 20 seconds, so it says what it is doing rather than stay silent.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";

const output = "src/generated/prisma";
const stamp = `${output}/.schema-sha256`;
const prismaVersion = JSON.parse(fs.readFileSync("node_modules/prisma/package.json", "utf8")).version;
const digest = createHash("sha256").update(prismaVersion).update(fs.readFileSync("prisma/schema.prisma")).digest("hex");

const current = fs.existsSync(stamp) && fs.readFileSync(stamp, "utf8") === digest && fs.existsSync(`${output}/client.ts`);
if (!current) {
  // stderr, so that a CLI command's --json output on stdout stays clean.
  const started = Date.now();
  process.stderr.write("tessera: generating the database client for this schema (first start, or the schema changed; this takes 10 to 30 seconds)...\n");
  const result = spawnSync("npx", ["--no-install", "prisma", "generate"], {
    stdio: ["ignore", "ignore", "inherit"],
    env: {
      ...process.env,
      PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath,
      PRISMA_HIDE_UPDATE_MESSAGE: "1",
    },
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
  fs.writeFileSync(stamp, digest);
  process.stderr.write(`tessera: database client generated in ${Math.round((Date.now() - started) / 1000)} s\n`);
}
