/** `tessera terms …`: the version published last is the current one users are asked to accept. */
import { createTermsVersions } from "../../src/accounts/index.js";
import { systemClock } from "../../src/shared/clock.js";
import { cliWorkspace, expectOneLineError, type CliWorkspace } from "../support/cli.js";

interface TermsJson {
  version: string;
  url: string;
  publishedAt: string;
  current: boolean;
}

const timeout = 300_000;

let cli: CliWorkspace;
beforeAll(async () => {
  cli = await cliWorkspace();
}, timeout);
afterAll(() => cli.close());

test("terms publish makes the new version current", async () => {
  const first = await cli.json<TermsJson>("terms", "publish", "--version", "2026-01", "--url", "https://tessera.example/terms/2026-01");
  expect(first).toMatchObject({ version: "2026-01", url: "https://tessera.example/terms/2026-01", current: true });
  const second = await cli.json<TermsJson>("terms", "publish", "--version", "2026-11", "--url", "https://tessera.example/terms");
  expect(second).toMatchObject({ version: "2026-11", current: true });

  const listed = await cli.json<TermsJson[]>("terms", "list");
  expect(listed.map((terms) => [terms.version, terms.current])).toEqual([["2026-11", true], ["2026-01", false]]);
  const current = await cli.withDatabase((db) => createTermsVersions({ prisma: db.prisma, clock: systemClock }).current());
  expect(current).toMatchObject({ version: "2026-11", url: "https://tessera.example/terms" });

  const text = await cli.run("terms", "list");
  expect(text.stdout.split("\n")[0]).toMatch(/^VERSION\s+PUBLISHED\s+CURRENT\s+URL$/);
  expect(text.stdout).toMatch(/^2026-11\s+\S+\s+yes\s+https:\/\/tessera\.example\/terms$/m);
}, timeout);

test("a version published before, or a malformed version or URL, is refused", async () => {
  expectOneLineError(await cli.run("terms", "publish", "--version", "2026-01", "--url", "https://tessera.example/terms/again"), 1, "--version: version 2026-01 was already published");
  const [badVersion, badUrl, missingUrl] = await Promise.all([
    cli.run("terms", "publish", "--version", "next one", "--url", "https://tessera.example/terms"),
    cli.run("terms", "publish", "--version", "2027-01", "--url", "terms.html"),
    cli.run("terms", "publish", "--version", "2027-01"),
  ]);
  expectOneLineError(badVersion, 2, "option '--version <version>' argument 'next one' is invalid");
  expectOneLineError(badUrl, 2, "option '--url <url>' argument 'terms.html' is invalid. Must be an absolute URL");
  expectOneLineError(missingUrl, 2, "required option '--url <url>' not specified");
  expect((await cli.json<TermsJson[]>("terms", "list")).map((terms) => terms.version)).toEqual(["2026-11", "2026-01"]);
}, timeout);
