/** `tessera user list`: accounts with their primary address, to find one quickly. */
import type { Command } from "commander";
import type { CliContext } from "./context.js";
import { withJson } from "./options.js";
import { printList, type OutputOptions } from "./output.js";
import { createUserRepository } from "./user-repository.js";

export function registerUserCommands(program: Command, context: CliContext): void {
  const user = program.command("user").description("look up accounts");

  withJson(
    user
      .command("list")
      .description("list accounts, oldest first")
      .option("--email <text>", "only accounts with an address containing this text (any case)"),
  ).action(async (options: OutputOptions & { email?: string }) =>
    context.withDatabase(async (db) => {
      const users = await createUserRepository(db.prisma).list({ email: options.email });
      printList(options, users, [
        { header: "ID", value: (row) => row.id },
        { header: "NAME", value: (row) => row.name },
        { header: "EMAIL", value: (row) => row.email },
        { header: "VERIFIED", value: (row) => row.emailVerified },
        { header: "CREATED", value: (row) => row.createdAt },
      ]);
    }),
  );
}
