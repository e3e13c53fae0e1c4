/**
 * The `tessera` executable itself (package.json "bin"), as a process: the other CLI tests
 * run commands in-process through the same runCli, so this is where the entry point, its
 * exit codes and its first run on an empty data folder (initdb, every migration) are seen.
 */
import { cliWorkspace, expectOneLineError, type CliWorkspace } from "../support/cli.js";

const timeout = 300_000;

let cli: CliWorkspace;
beforeAll(async () => {
  cli = await cliWorkspace({ migrated: false });
}, timeout);
afterAll(() => cli.close());

test("on a first run it creates and migrates the embedded database, answers JSON and exits 0", async () => {
  const result = await cli.runProcess("org", "list", "--json");
  expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: "" });
  expect((JSON.parse(result.stdout) as { slug: string }[]).map((org) => org.slug)).toEqual(["default"]);
  const ledger = await cli.withDatabase((db) => db.sql.query<{ finished: boolean }>(`SELECT finished_at IS NOT NULL AS finished FROM "_prisma_migrations"`));
  expect(ledger.length).toBeGreaterThan(0);
  expect(ledger.every((row) => row.finished)).toBe(true);
}, timeout);

test("a wrong command line is one line on stderr and exit 2; a refused operation exits 1; --version exits 0", async () => {
  const [unknownOption, refused, version] = await Promise.all([
    cli.runProcess("org", "list", "--colour"),
    cli.runProcess("org", "update", "nobody", "--name", "X"),
    cli.runProcess("--version"),
  ]);
  expectOneLineError(unknownOption, 2, "tessera: unknown option '--colour'");
  expectOneLineError(refused, 1, "tessera: no organisation has slug nobody");
  expect(version).toMatchObject({ code: 0, stdout: "0.1.0\n", stderr: "" });
}, timeout);
