/** `tessera terms publish|list`: the newest published version is current; users accept it at their next sign-in. */
import type { Command } from "commander";
import type { Terms } from "../accounts/index.js";
import type { Database } from "../db/index.js";
import { isUniqueViolation, type CliContext } from "./context.js";
import { pageUrl, termsVersion, withJson } from "./options.js";
import { CliError, printList, printRecord, type OutputOptions } from "./output.js";

export function registerTermsCommands(program: Command, context: CliContext): void {
  // The accounts room (web routes included) is loaded only when a terms command runs.
  const termsService = async (db: Database) => (await import("../accounts/index.js")).createTermsVersions({ prisma: db.prisma, clock: context.clock });
  const terms = program.command("terms").description("publish and list terms of service versions");

  withJson(
    terms
      .command("publish")
      .description("publish a version; it becomes current, and users accept it at their next sign-in")
      .requiredOption("--version <version>", "version name, e.g. 2026-11", termsVersion)
      .requiredOption("--url <url>", "where this version can be read", pageUrl),
  ).action(async (options: OutputOptions & { version: string; url: string }) =>
    context.withDatabase(async (db) => {
      const published = await (await termsService(db))
        .publish(options.version, options.url)
        .catch((error: unknown) => {
          throw isUniqueViolation(error) ? new CliError(`--version: version ${options.version} was already published`) : error;
        });
      printRecord(options, [["version", published.version], ["url", published.url], ["published", published.publishedAt], ["current", true]], termsJson(published, true));
    }),
  );

  withJson(terms.command("list").description("list versions, newest (current) first")).action(async (options: OutputOptions) =>
    context.withDatabase(async (db) => {
      const versions = await (await termsService(db)).list();
      printList(options, versions, [
        { header: "VERSION", value: (row) => row.version },
        { header: "PUBLISHED", value: (row) => row.publishedAt },
        { header: "CURRENT", value: (row) => row === versions[0] },
        { header: "URL", value: (row) => row.url },
      ], (row) => termsJson(row, row === versions[0]));
    }),
  );
}

function termsJson(terms: Terms, current: boolean) {
  return { version: terms.version, url: terms.url, publishedAt: terms.publishedAt, current };
}
