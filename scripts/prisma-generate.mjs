/**
 * Generates the Prisma client offline, and only when schema.prisma changed since the last
 * generation (the CLI alone takes seconds to load, and this runs before every start).
 * `prisma generate` does not use the schema engine, but the CLI looks for one first and
 * tries to download it when it is missing; pointing it at any existing file skips that.
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
}
