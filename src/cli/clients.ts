/**
 * `tessera client create|list|show|update|rotate-secret|delete|initial-access-token`:
 * relying parties. A generated secret, or an initial access token for dynamic
 * registration, is printed once, by the command that made it, and never again.
 */
import type { Command } from "commander";
import { createOrganisationRepository } from "../orgs/index.js";
import { clientInput, clientOptions, optionFor, type ClientOptions } from "./client-options.js";
import { clientSettingFields, clientSettingJson } from "./client-setting-options.js";
import { createClientRepository, type ClientRecord } from "./client-repository.js";
import type { ClientService } from "./client-service.js";
import type { CliContext } from "./context.js";
import { clientId, text, validityDays, withJson } from "./options.js";
import { printDone, printList, printRecord, UsageError, type OutputOptions } from "./output.js";

export function registerClientCommands(program: Command, context: CliContext): void {
  const client = program.command("client").description("manage relying parties (OIDC clients)");

  const withService = <T>(run: (service: ClientService) => Promise<T>) =>
    context.withDatabase(async (db) => {
      // node-oidc-provider takes seconds to load and only these commands need it.
      const [{ createClientService }, { createClientValidator, InvalidClientMetadata }, { clientSecrets, loadOrCreateAtRestKeys }] = await Promise.all([
        import("./client-service.js"),
        import("./client-validator.js"),
        import("../oidc/index.js"),
      ]);
      let validator: ReturnType<typeof createClientValidator> | undefined;
      const service = createClientService({
        clients: createClientRepository(db.prisma, clientSecrets(await loadOrCreateAtRestKeys(context.config().keysDir))),
        organisations: createOrganisationRepository(db.prisma),
        validator: () => (validator ??= createClientValidator(context.config(), db, context.clock)),
        demoSeeded: context.config().demoClient.enabled,
        events: context.events(db),
      });
      return run(service).catch((error: unknown) => {
        if (!(error instanceof InvalidClientMetadata)) throw error;
        const option = error.property && optionFor[error.property];
        throw new UsageError(option ? `${option}: ${error.message}` : `invalid client metadata: ${error.message}`);
      });
    });

  withJson(
    clientOptions(
      client
        .command("create")
        .description("register a client; prints its generated secret once")
        .requiredOption("--id <id>", "client_id", clientId)
        .requiredOption("--name <name>", "name shown to users", text),
      { create: true },
    ),
  ).action(async (options: ClientOptions) =>
    withService(async (service) => {
      const { client: created, secret } = await service.create(options.id!, { ...clientInput(options), name: options.name!, redirectUris: options.redirectUri ?? [] });
      printClient(options, created, secret);
    }),
  );

  withJson(client.command("list").description("list clients")).action(async (options: OutputOptions) =>
    withService(async (service) =>
      printList(options, await service.list(), [
        { header: "ID", value: (row) => row.id },
        { header: "NAME", value: (row) => row.metadata.client_name },
        { header: "ORG", value: (row) => row.organisationSlug },
        { header: "AUTH", value: (row) => row.metadata.token_endpoint_auth_method },
        { header: "FIRST PARTY", value: (row) => row.settings.firstParty },
        { header: "CREATED", value: (row) => row.createdAt },
      ], clientJson),
    ),
  );

  withJson(client.command("show").description("show a client (never its secret)").argument("<id>", "client_id")).action(async (id: string, options: OutputOptions) =>
    withService(async (service) => printClient(options, await service.show(id))),
  );

  withJson(clientOptions(client.command("update").description("change a client; list options replace the whole list").argument("<id>", "client_id"), { create: false })).action(
    async (id: string, options: ClientOptions) =>
      withService(async (service) => {
        const { client: updated, secret } = await service.update(id, clientInput(options));
        printClient(options, updated, secret);
      }),
  );

  withJson(client.command("rotate-secret").description("replace a client's secret; prints the new one once").argument("<id>", "client_id")).action(async (id: string, options: OutputOptions) =>
    withService(async (service) => {
      const { client: rotated, secret } = await service.rotateSecret(id);
      printClient(options, rotated, secret);
    }),
  );

  withJson(client.command("delete").description("delete a client; its tokens stop working").argument("<id>", "client_id")).action(async (id: string, options: OutputOptions) =>
    withService(async (service) => {
      await service.delete(id);
      printDone(options, `Deleted client ${id}`, { id, deleted: true });
    }),
  );

  withJson(
    client
      .command("initial-access-token")
      .description("issue a token that lets a relying party register itself (RFC 7591, POST /reg); prints it once")
      .option("--expires-in-days <days>", "days it can be used, for any number of registrations (1–365)", validityDays, 7),
  ).action(async (options: OutputOptions & { expiresInDays: number }) =>
    context.withDatabase(async (db) => {
      const [{ createCliProvider }, { issueInitialAccessToken }] = await Promise.all([import("./cli-provider.js"), import("./initial-access-token.js")]);
      const provider = await createCliProvider(context.config(), db, context.clock);
      const { token, expiresAt } = await issueInitialAccessToken(provider, { expiresInDays: options.expiresInDays });
      const registrationEndpoint = `${context.config().issuer.replace(/\/$/, "")}/reg`;
      printRecord(
        options,
        [
          ["initial access token", `${token}  (shown once: store it now)`],
          ["expires", expiresAt],
          ["use", `Authorization: Bearer <token> on POST ${registrationEndpoint}`],
        ],
        { initialAccessToken: token, expiresAt, registrationEndpoint },
      );
    }),
  );
}

function clientJson(client: ClientRecord) {
  const { client_secret: secret, ...metadata } = client.metadata;
  return {
    id: client.id,
    name: metadata.client_name ?? null,
    organisation: client.organisationSlug,
    ...clientSettingJson(client.settings),
    hasSecret: typeof secret === "string",
    metadata,
    createdAt: client.createdAt,
    updatedAt: client.updatedAt,
  };
}

function printClient(options: OutputOptions, client: ClientRecord, secret?: string): void {
  const json = clientJson(client);
  const { metadata } = json;
  printRecord(
    options,
    [
      ["id", client.id],
      ["name", json.name],
      ["organisation", client.organisationSlug],
      ["auth method", metadata.token_endpoint_auth_method],
      ["redirect uris", metadata.redirect_uris],
      ["response types", metadata.response_types],
      ["grant types", metadata.grant_types],
      ["post-logout uris", metadata.post_logout_redirect_uris],
      ["initiate login uri", metadata.initiate_login_uri],
      ["jwks uri", metadata.jwks_uri],
      ["logo uri", metadata.logo_uri],
      ...clientSettingFields(client.settings),
      ["created", client.createdAt],
      ["updated", client.updatedAt],
      secret ? ["client secret", `${secret}  (shown once: store it now)`] : ["secret", json.hasSecret ? "set (not shown)" : "none"],
    ],
    secret ? { ...json, clientSecret: secret } : json,
  );
}
