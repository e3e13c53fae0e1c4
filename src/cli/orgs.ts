/**
 * `tessera org create|list|update`: organisations group clients; with --require-consent a
 * user allows an organisation once before any of its sites receives their data.
 */
import type { Command } from "commander";
import { createOrganisationRepository, type Organisation } from "../orgs/index.js";
import { isUniqueViolation, type CliContext } from "./context.js";
import { pageUrl, slug, text, withJson } from "./options.js";
import { CliError, printList, printRecord, type OutputOptions } from "./output.js";

interface OrgOptions extends OutputOptions {
  slug: string;
  name: string;
  requireConsent?: boolean;
  privacyUrl?: string;
}

export function registerOrgCommands(program: Command, context: CliContext): void {
  const org = program.command("org").description("manage organisations (groups of clients sharing a consent policy)");

  withJson(
    org
      .command("create")
      .description("create an organisation")
      .requiredOption("--slug <slug>", "short stable handle, e.g. acme", slug)
      .requiredOption("--name <name>", "display name shown to users", text)
      .option("--require-consent", "users must allow the organisation before its sites get their data", false)
      .option("--privacy-url <url>", "the organisation's privacy policy", pageUrl),
  ).action(async (options: OrgOptions) =>
    context.withDatabase(async (db) => {
      const repo = createOrganisationRepository(db.prisma);
      const created = await repo
        .create({ slug: options.slug, name: options.name, requireConsent: Boolean(options.requireConsent), privacyPolicyUrl: options.privacyUrl })
        .catch((error: unknown) => {
          throw isUniqueViolation(error) ? new CliError(`--slug: an organisation with slug ${options.slug} already exists`) : error;
        });
      printOrganisation(options, created);
    }),
  );

  withJson(org.command("list").description("list organisations")).action(async (options: OutputOptions) =>
    context.withDatabase(async (db) => {
      const organisations = await createOrganisationRepository(db.prisma).list();
      printList(options, organisations, [
        { header: "SLUG", value: (row) => row.slug },
        { header: "NAME", value: (row) => row.name },
        { header: "CONSENT", value: (row) => row.requireConsent },
        { header: "PRIVACY POLICY", value: (row) => row.privacyPolicyUrl },
      ], organisationJson);
    }),
  );

  withJson(
    org
      .command("update")
      .description("change an organisation's name, consent rule or privacy policy")
      .argument("<slug>", "the organisation to change", slug)
      .option("--name <name>", "display name shown to users", text)
      .option("--require-consent", "users must allow the organisation before its sites get their data")
      .option("--no-require-consent", "its sites get data on the usual per-client consent")
      .option("--privacy-url <url>", "the organisation's privacy policy (\"\" removes it)", (value: string) => (value === "" ? "" : pageUrl(value))),
  ).action(async (handle: string, options: Partial<OrgOptions>) =>
    context.withDatabase(async (db) => {
      const repo = createOrganisationRepository(db.prisma);
      const existing = await repo.findBySlug(handle);
      if (!existing) throw new CliError(`no organisation has slug ${handle}`);
      const changes = {
        ...(options.name !== undefined && { name: options.name }),
        ...(options.requireConsent !== undefined && { requireConsent: options.requireConsent }),
        ...(options.privacyUrl !== undefined && { privacyPolicyUrl: options.privacyUrl || null }),
      };
      printOrganisation(options, Object.keys(changes).length ? await repo.update(existing.id, changes) : existing);
    }),
  );
}

function organisationJson(organisation: Organisation) {
  return { ...organisation, privacyPolicyUrl: organisation.privacyPolicyUrl ?? null };
}

function printOrganisation(options: OutputOptions, organisation: Organisation): void {
  printRecord(
    options,
    [
      ["slug", organisation.slug],
      ["name", organisation.name],
      ["require consent", organisation.requireConsent],
      ["privacy policy", organisation.privacyPolicyUrl],
      ["id", organisation.id],
    ],
    organisationJson(organisation),
  );
}
