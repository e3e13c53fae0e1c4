/**
 * `tessera resource create|list|update|delete`: resource servers (RFC 8707). A client that
 * asks for one with `resource=<identifier>` gets a JWT access token (RFC 9068) whose
 * audience is the identifier, with only the scopes listed here, valid for --ttl seconds.
 * The identifier is the key clients send: it cannot be changed, only deleted and created anew.
 */
import type { Command } from "commander";
import { isUniqueViolation, type CliContext } from "./context.js";
import { isPlainHttp, positiveSeconds, resourceIdentifier, scopeList, text, withJson } from "./options.js";
import { CliError, printDone, printList, printRecord, UsageError, type OutputOptions } from "./output.js";
import { createResourceServerRepository, type ResourceServerRecord } from "./resource-repository.js";

interface ResourceOptions extends OutputOptions {
  identifier?: string;
  name?: string;
  scope?: string;
  ttl?: number;
}

export function registerResourceCommands(program: Command, context: CliContext): void {
  const resource = program.command("resource").description("manage resource servers (APIs that accept Tessera's access tokens)");
  const withRepository = <T>(run: (repo: ReturnType<typeof createResourceServerRepository>) => Promise<T>) =>
    context.withDatabase((db) => run(createResourceServerRepository(db.prisma)));

  withJson(
    resource
      .command("create")
      .description("register a resource server; clients ask for it with resource=<identifier>")
      .requiredOption("--identifier <uri>", "resource indicator and token audience, e.g. https://api.example.com", resourceIdentifier)
      .requiredOption("--name <name>", "name for operators", text)
      .requiredOption("--scope <scopes>", 'scopes the server accepts, separated by spaces, e.g. "read write"', scopeList)
      .option("--ttl <seconds>", "access token lifetime in seconds (default: 3600)", positiveSeconds),
  ).action(async (options: ResourceOptions) => {
    const identifier = options.identifier!;
    // Parsing cannot know the environment; this is still a refused command line.
    if (isPlainHttp(identifier) && context.config().env === "production") throw new UsageError("--identifier: http is for localhost outside production only; use https");
    await withRepository(async (repo) => {
      const created = await repo.create({ identifier, name: options.name!, scope: options.scope!, accessTokenTtl: options.ttl }).catch((error: unknown) => {
        throw isUniqueViolation(error) ? new CliError(`--identifier: a resource server with identifier ${identifier} already exists`) : error;
      });
      printResourceServer(options, created);
    });
  });

  withJson(resource.command("list").description("list resource servers")).action(async (options: OutputOptions) =>
    withRepository(async (repo) =>
      printList(options, await repo.list(), [
        { header: "IDENTIFIER", value: (row) => row.identifier },
        { header: "NAME", value: (row) => row.name },
        { header: "TTL", value: (row) => row.accessTokenTtl },
        { header: "SCOPE", value: (row) => row.scope },
      ], resourceServerJson),
    ),
  );

  withJson(
    resource
      .command("update")
      .description("change a resource server's name, scopes or token lifetime (tokens already issued keep theirs)")
      .argument("<identifier>", "the resource server to change")
      .option("--name <name>", "name for operators", text)
      .option("--scope <scopes>", "scopes the server accepts, separated by spaces (replaces the list)", scopeList)
      .option("--ttl <seconds>", "access token lifetime in seconds", positiveSeconds),
  ).action(async (identifier: string, options: ResourceOptions) =>
    withRepository(async (repo) => {
      const existing = await repo.find(identifier);
      if (!existing) throw new CliError(`no resource server has identifier ${identifier}`);
      const changes = {
        ...(options.name !== undefined && { name: options.name }),
        ...(options.scope !== undefined && { scope: options.scope }),
        ...(options.ttl !== undefined && { accessTokenTtl: options.ttl }),
      };
      printResourceServer(options, Object.keys(changes).length ? await repo.update(identifier, changes) : existing);
    }),
  );

  withJson(
    resource
      .command("delete")
      .description("delete a resource server; new tokens for it are refused, issued ones last until they expire")
      .argument("<identifier>", "the resource server to delete"),
  ).action(async (identifier: string, options: OutputOptions) =>
    withRepository(async (repo) => {
      if (!(await repo.delete(identifier))) throw new CliError(`no resource server has identifier ${identifier}`);
      printDone(options, `Deleted resource server ${identifier}`, { identifier, deleted: true });
    }),
  );
}

function resourceServerJson(server: ResourceServerRecord) {
  return { identifier: server.identifier, name: server.name, scope: server.scope, accessTokenTtl: server.accessTokenTtl, createdAt: server.createdAt };
}

function printResourceServer(options: OutputOptions, server: ResourceServerRecord): void {
  printRecord(
    options,
    [
      ["identifier", server.identifier],
      ["name", server.name],
      ["scope", server.scope],
      ["token ttl", `${server.accessTokenTtl} s`],
      ["created", server.createdAt],
    ],
    resourceServerJson(server),
  );
}
