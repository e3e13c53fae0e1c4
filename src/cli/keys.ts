/**
 * `tessera keys list|rotate|retire`: the signing keys in KEYS_DIR. Rotation adds keys in
 * front (they sign from the next start) and keeps the old ones for verification, so nobody
 * is logged out; a key is retired once nothing it signed is still in use. The rules live in
 * src/oidc/keys.ts; these commands work on files. A rotation or retirement is then recorded
 * in the audit trail (ASVS 5.0 16.3.3; key ids only, never key material); when the database
 * cannot be opened — the embedded one while Tessera runs — the change to the files stands
 * and a warning says it was not recorded, since refusing after the fact would undo nothing.
 */
import type { Command } from "commander";
import { KeyRotationError, listSigningKeys, retireSigningKey, rotateSigningKeys, type SigningKeyInfo } from "../oidc/index.js";
import type { DomainEvent } from "../shared/index.js";
import type { CliContext } from "./context.js";
import { withJson } from "./options.js";
import { CliError, printDone, printList, type OutputOptions } from "./output.js";

export function registerKeyCommands(program: Command, context: CliContext): void {
  const keys = program.command("keys").description("list, rotate and retire signing keys");
  const keysDir = () => context.config().keysDir;
  const refusals = (error: unknown) => {
    throw error instanceof KeyRotationError ? new CliError(error.message) : error;
  };
  const audit = (event: DomainEvent) =>
    context
      .withDatabase((db) => db.prisma.$transaction((tx) => context.events(db).record(tx, event)))
      .catch((error: unknown) => context.warn(`not recorded in the audit trail (${error instanceof Error ? error.message.split("\n").at(-1) : String(error)})`));

  withJson(keys.command("list").description("list signing keys; the first of each algorithm signs")).action(async (options: OutputOptions) => {
    printKeys(options, await listSigningKeys(keysDir()).catch(refusals));
  });

  withJson(keys.command("rotate").description("add new RS256 and ES256 keys that sign from the next start; old keys keep verifying")).action(
    async (options: OutputOptions) => {
      const fresh = await rotateSigningKeys(keysDir(), context.clock.now());
      const all = await listSigningKeys(keysDir());
      const added = fresh.map((key) => key.kid);
      await audit({ type: "keys.rotated", added: added.flatMap((kid) => kid ?? []) });
      printDone(options, `Added ${added.join(", ")}: they sign after Tessera restarts.\n`, { added, keys: all.map(keyJson) });
      if (!options.json) printKeys(options, all);
    },
  );

  withJson(
    keys
      .command("retire")
      .description("remove a key that only verifies (refuses signing keys and the last key of an algorithm)")
      .requiredOption("--kid <kid>", "the key to remove"),
  ).action(async (options: OutputOptions & { kid: string }) => {
    const retired = await retireSigningKey(keysDir(), options.kid).catch(refusals);
    await audit({ type: "keys.retired", kid: retired.kid });
    printDone(options, `Retired ${retired.kid} (${retired.alg}); restart Tessera to stop publishing it.`, { retired: keyJson(retired) });
  });
}

function keyJson(key: SigningKeyInfo) {
  return { kid: key.kid, alg: key.alg, status: key.status, since: key.since, sinceIsFirstSeen: key.firstSeen };
}

function printKeys(options: OutputOptions, keys: SigningKeyInfo[]): void {
  printList(options, keys, [
    { header: "KID", value: (key) => key.kid },
    { header: "ALG", value: (key) => key.alg },
    { header: "STATUS", value: (key) => key.status },
    { header: "CREATED", value: (key) => `${key.since.toISOString().replace(/\.\d{3}Z$/, "Z")}${key.firstSeen ? " (first seen)" : ""}` },
  ], keyJson);
}
