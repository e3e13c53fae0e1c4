/** `tessera jobs list | retry | schedules`: what an operator sees of dead mail and schedules. */
import { cliWorkspace, expectOneLineError, type CliWorkspace } from "../support/cli.js";

interface JobJson {
  id: string;
  kind: string;
  state: string;
  attempts: number;
  maxAttempts: number;
  lastError: string | null;
}

const timeout = 300_000;

let cli: CliWorkspace;
beforeAll(async () => {
  cli = await cliWorkspace();
}, timeout);
afterAll(() => cli.close());

test("jobs list shows dead jobs with their error but never their payload; retry makes one due again", async () => {
  expect(await cli.json("jobs", "list")).toEqual([]);
  const now = new Date();
  const [dead, waiting] = await cli.withDatabase((db) =>
    Promise.all(
      [
        { state: "dead", attempts: 12, lastError: "ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:2525" },
        { state: "ready", attempts: 1, lastError: "ETIMEDOUT: timed out" },
      ].map((job) =>
        db.prisma.job.create({
          data: { kind: "mail.send", payload: { to: "ann@example.test", link: "https://id.example.test/confirm/secret-key" }, maxAttempts: 12, runAt: now, createdAt: now, updatedAt: now, ...job },
        }),
      ),
    ),
  );

  const listed = await cli.json<JobJson[]>("jobs", "list", "--state", "dead");
  expect(listed).toEqual([expect.objectContaining({ id: dead!.id, kind: "mail.send", state: "dead", attempts: 12, maxAttempts: 12, lastError: expect.stringContaining("ECONNREFUSED") })]);
  const table = await cli.run("jobs", "list");
  expect(table.code).toBe(0);
  expect(table.stdout).toContain(waiting!.id);
  expect(table.stdout).toMatch(/dead\s+12\/12/);
  expect(table.stdout + JSON.stringify(listed)).not.toContain("secret-key");

  const retried = await cli.run("jobs", "retry", dead!.id);
  expect(retried).toMatchObject({ code: 0, stdout: `Job ${dead!.id} will run again shortly.\n` });
  expect(await cli.json<JobJson[]>("jobs", "list", "--state", "dead")).toEqual([]);
  expect(await cli.withDatabase((db) => db.prisma.job.findUnique({ where: { id: dead!.id } }))).toMatchObject({ state: "ready", attempts: 0 });

  expectOneLineError(await cli.run("jobs", "retry", waiting!.id), 1, `No dead job ${waiting!.id}`);
}, timeout);

test("jobs schedules lists each recurring job with its cron and next run", async () => {
  const result = await cli.run("jobs", "schedules");
  expect(result.code).toBe(0);
  expect(result.stdout).toMatch(/^NAME\s+CRON\s+LAST\s+NEXT\s+WHAT$/m);
  expect(result.stdout).toMatch(/^purge-expired-artefacts\s+17 \* \* \* \*\s+-\s+\d{4}-\d\d-\d\dT\d\d:17:00Z\s+delete expired sessions, codes and tokens$/m);
  expect(result.stdout).toContain("purge-confirmations");
}, timeout);
