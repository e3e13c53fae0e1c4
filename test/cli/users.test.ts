/** `tessera user list`: accounts with their primary address, filtered by any of their addresses. */
import { cliWorkspace, type CliWorkspace } from "../support/cli.js";

interface UserJson {
  id: string;
  name: string;
  email: string | null;
  emailVerified: boolean;
  createdAt: string;
}

const timeout = 300_000;

let cli: CliWorkspace;
beforeAll(async () => {
  cli = await cliWorkspace();
}, timeout);
afterAll(() => cli.close());

test("user list shows each account's primary address and whether it is verified; --email filters", async () => {
  expect(await cli.json("user", "list")).toEqual([]);
  const [ann, bob] = await cli.withDatabase(async (db) => {
    const ann = await db.prisma.user.create({
      data: {
        name: "Ann",
        createdAt: new Date("2026-01-01T00:00:00Z"),
        emails: {
          create: [
            { address: "Ann@Example.com", normalized: "ann@example.com", owned: "ann@example.com", primary: true, verifiedAt: new Date() },
            { address: "ann@work.example", normalized: "ann@work.example" },
          ],
        },
      },
    });
    const bob = await db.prisma.user.create({
      data: { name: "Bob", createdAt: new Date("2026-02-01T00:00:00Z"), emails: { create: { address: "bob@example.org", normalized: "bob@example.org", owned: "bob@example.org", primary: true } } },
    });
    return [ann, bob];
  });

  expect(await cli.json<UserJson[]>("user", "list")).toEqual([
    { id: ann.id, name: "Ann", email: "Ann@Example.com", emailVerified: true, createdAt: "2026-01-01T00:00:00.000Z" },
    { id: bob.id, name: "Bob", email: "bob@example.org", emailVerified: false, createdAt: "2026-02-01T00:00:00.000Z" },
  ]);
  expect((await cli.json<UserJson[]>("user", "list", "--email", "WORK.example")).map((user) => user.name)).toEqual(["Ann"]);
  expect(await cli.json("user", "list", "--email", "nobody@")).toEqual([]);

  const text = await cli.run("user", "list", "--email", "bob");
  expect(text.stdout.trimEnd().split("\n")).toEqual([
    expect.stringMatching(/^ID\s+NAME\s+EMAIL\s+VERIFIED\s+CREATED$/),
    expect.stringMatching(new RegExp(`^${bob.id}\\s+Bob\\s+bob@example\\.org\\s+no\\s+2026-02-01T00:00:00Z$`)),
  ]);
}, timeout);
