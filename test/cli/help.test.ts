/**
 * Every command explains itself with --help (exit 0, on stdout) and offers --json; a
 * mistyped command line is one line on stderr and exit 2. None of this opens a database.
 */
import { clientSettingList } from "../../src/clients/index.js";
import { cliWorkspace, expectOneLineError, type CliWorkspace } from "../support/cli.js";

const timeout = 300_000;

const groups = ["org", "client", "resource", "user", "keys", "terms"];
const commands = [
  "org create", "org list", "org update",
  "client create", "client list", "client show", "client update", "client rotate-secret", "client delete", "client initial-access-token",
  "resource create", "resource list", "resource update", "resource delete",
  "user list",
  "keys list", "keys rotate", "keys retire",
  "terms publish", "terms list",
];

let cli: CliWorkspace;
beforeAll(async () => {
  cli = await cliWorkspace({ migrated: false }); // no command here opens the database
}, timeout);
afterAll(() => cli.close());

test("tessera --help lists every command group", async () => {
  const result = await cli.run("--help");
  expect(result.code).toBe(0);
  expect(result.stdout).toContain("Usage: tessera [options] [command]");
  for (const group of groups) expect(result.stdout).toMatch(new RegExp(`^  ${group}\\b`, "m"));
}, timeout);

test("every group and every command answers --help, and every command offers --json", async () => {
  // All at once: each run's answer must stay its own.
  const results = await Promise.all([...groups, ...commands].map(async (command) => ({ command, result: await cli.run(...command.split(" "), "--help") })));
  for (const { command, result } of results) {
    expect({ command, code: result.code, stderr: result.stderr }).toEqual({ command, code: 0, stderr: "" });
    expect(result.stdout).toContain(`Usage: tessera ${command} `);
    if (commands.includes(command)) expect(result.stdout).toMatch(/--json\s+print machine-readable JSON/);
  }
}, timeout);

test("client create and update list every client setting with its description; update offers the --no- form of a switch", async () => {
  const [create, update] = await Promise.all([cli.run("client", "create", "--help"), cli.run("client", "update", "--help")]);
  // Commander wraps long lines: compare with the whitespace collapsed.
  const collapse = (text: string) => text.replace(/\s+/g, " ");
  const [createHelp, updateHelp] = [collapse(create.stdout), collapse(update.stdout)];
  const flagged = clientSettingList.flatMap((setting) => (setting.cli ? [{ ...setting, cli: setting.cli }] : []));
  expect(flagged.map((setting) => setting.cli.flag)).toEqual(expect.arrayContaining(["first-party", "require-verified-email", "cooloff-hours"]));
  for (const setting of flagged) {
    const option = `--${setting.cli.flag}${setting.type.argument ? ` ${setting.type.argument}` : ""} ${setting.description}`;
    expect({ option, create: createHelp.includes(option), update: updateHelp.includes(option) }).toEqual({ option, create: true, update: true });
    if (setting.cli.off) {
      expect(updateHelp).toContain(`--no-${setting.cli.flag} ${setting.cli.off}`);
      expect(createHelp).not.toContain(`--no-${setting.cli.flag}`);
    }
  }
  expect(updateHelp).toContain('--cooloff-hours <hours> accounts younger than this many hours cannot sign in (0: no wait) ("" removes it)');
  expect(createHelp).toContain("--org <slug> organisation the client belongs to (default: default)");
}, timeout);

test("an unknown command or option is one line and exit 2; --version prints the version", async () => {
  const [unknownCommand, unknownOption, noCommand, version] = await Promise.all([
    cli.run("frobnicate"),
    cli.run("org", "list", "--colour"),
    cli.run("org"),
    cli.run("--version"),
  ]);
  expectOneLineError(unknownCommand, 2, "tessera: unknown command 'frobnicate'");
  expectOneLineError(unknownOption, 2, "tessera: unknown option '--colour'");
  expect(noCommand.code).toBe(2);
  expect(noCommand.stderr).toContain("Usage: tessera org [options] [command]");
  expect(version).toMatchObject({ code: 0, stdout: "0.1.0\n" });
}, timeout);
