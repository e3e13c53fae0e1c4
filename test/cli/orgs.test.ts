/** `tessera org …`: create, list and update organisations, as text and as JSON. */
import { cliWorkspace, expectOneLineError, type CliWorkspace } from "../support/cli.js";

interface Org {
  id: string;
  slug: string;
  name: string;
  requireConsent: boolean;
  privacyPolicyUrl: string | null;
}

const timeout = 300_000;

let cli: CliWorkspace;
beforeAll(async () => {
  cli = await cliWorkspace();
}, timeout);
afterAll(() => cli.close());

test("org create, list and update answer in JSON", async () => {
  const created = await cli.json<Org>("org", "create", "--slug", "acme", "--name", "Acme", "--require-consent", "--privacy-url", "https://acme.example/privacy");
  expect(created).toMatchObject({ slug: "acme", name: "Acme", requireConsent: true, privacyPolicyUrl: "https://acme.example/privacy" });

  const listed = await cli.json<Org[]>("org", "list");
  expect(listed.map((org) => org.slug)).toEqual(["acme", "default"]);
  expect(listed[0]).toEqual(created);

  const updated = await cli.json<Org>("org", "update", "acme", "--name", "Acme Inc.", "--no-require-consent", "--privacy-url", "");
  expect(updated).toEqual({ ...created, name: "Acme Inc.", requireConsent: false, privacyPolicyUrl: null });
  expect((await cli.json<Org[]>("org", "list"))[0]).toEqual(updated);

  const row = await cli.withDatabase((db) => db.prisma.organisation.findUnique({ where: { slug: "acme" } }));
  expect(row).toMatchObject({ name: "Acme Inc.", requireConsent: false, privacyPolicyUrl: null });
}, timeout);

test("without --json the list is an aligned table", async () => {
  const result = await cli.run("org", "list");
  expect(result.code).toBe(0);
  const lines = result.stdout.trimEnd().split("\n");
  expect(lines[0]).toMatch(/^SLUG\s+NAME\s+CONSENT\s+PRIVACY POLICY$/);
  const nameColumn = lines[0]!.indexOf("NAME");
  expect(lines.slice(1).map((line) => line.slice(nameColumn).split("  ")[0])).toEqual(["Acme Inc.", "Default organisation"]);
}, timeout);

test("a taken slug, a malformed slug or URL, and an unknown organisation are refused", async () => {
  expectOneLineError(await cli.run("org", "create", "--slug", "acme", "--name", "Again"), 1, "--slug: an organisation with slug acme already exists");
  expectOneLineError(await cli.run("org", "create", "--slug", "Not A Slug", "--name", "X"), 2, "option '--slug <slug>' argument 'Not A Slug' is invalid");
  expectOneLineError(await cli.run("org", "create", "--slug", "x", "--name", "X", "--privacy-url", "ftp://x.example"), 2, "option '--privacy-url <url>' argument 'ftp://x.example' is invalid. Must be an http or https URL.");
  expectOneLineError(await cli.run("org", "create", "--name", "X"), 2, "required option '--slug <slug>' not specified");
  expectOneLineError(await cli.run("org", "update", "nobody", "--name", "X"), 1, "no organisation has slug nobody");
  expect((await cli.json<Org[]>("org", "list")).map((org) => org.slug)).toEqual(["acme", "default"]);
}, timeout);

test("on the embedded database the CLI refuses to run while another process has it open; on PostgreSQL it may", async () => {
  // This test process holds the database open, as a running Tessera would; the command runs as its own process.
  const result = await cli.withDatabase(() => cli.runProcess("org", "create", "--slug", "beside", "--name", "Beside"));
  if (process.env.DATABASE_URL) {
    expect(result.code).toBe(0);
  } else {
    expectOneLineError(result, 1, new RegExp(`is in use by process ${process.pid}\\. Only one process can open it: stop that process first`));
  }
  expect((await cli.json<Org[]>("org", "list")).some((org) => org.slug === "beside")).toBe(Boolean(process.env.DATABASE_URL));
}, timeout);
