#!/usr/bin/env node
/**
 * The `tessera` command (package.json "bin"): runs src/cli/main.ts through tsx from
 * Tessera's folder — so relative DATA_DIR and KEYS_DIR mean what they mean to `npm start` —
 * after generating the Prisma client if the schema changed (a no-op otherwise).
 */
import path from "node:path";
import { fileURLToPath } from "node:url";

process.chdir(path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../.."));
// In this process rather than a child: when the client is current (nearly always) it is one
// hash and one file read, and a second Node process would cost more than the command itself
// when a running Tessera runs it. On a failed generation it exits with prisma's status.
await import("../../scripts/prisma-generate.mjs");

const { register } = await import("tsx/esm/api");
register();
await import("./main.ts");
