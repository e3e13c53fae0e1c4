#!/usr/bin/env node
/**
 * The `tessera` command (package.json "bin"): runs src/cli/main.ts through tsx from
 * Tessera's folder — so relative DATA_DIR and KEYS_DIR mean what they mean to `npm start` —
 * after generating the Prisma client if the schema changed (a no-op otherwise).
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

process.chdir(path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../.."));
const generate = spawnSync(process.execPath, ["scripts/prisma-generate.mjs"], { stdio: "inherit" });
if (generate.status !== 0) process.exit(generate.status ?? 1);

const { register } = await import("tsx/esm/api");
register();
await import("./main.ts");
