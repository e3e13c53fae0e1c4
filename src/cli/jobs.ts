/**
 * `tessera jobs …`: what the job runner holds. `list` shows waiting, running and dead jobs
 * (never their payloads: mail jobs carry confirmation links); `retry` gives a dead job a
 * fresh set of attempts, due now, for a running Tessera to pick up at its next poll;
 * `schedules` lists the recurring jobs with their last and next ticks.
 */
import { Option, type Command } from "commander";
import { createJobRepository, nextTick, type JobState } from "../jobs/index.js";
import { schedules } from "../schedules.js";
import type { CliContext } from "./context.js";
import { withJson } from "./options.js";
import { CliError, printDone, printList, type OutputOptions } from "./output.js";

export function registerJobCommands(program: Command, context: CliContext): void {
  const jobs = program.command("jobs").description("inspect background jobs and retry dead ones");

  withJson(
    jobs
      .command("list")
      .description("list jobs, the next due first")
      .addOption(new Option("--state <state>", "only jobs in this state").choices(["ready", "running", "dead"]))
      .option("--limit <n>", "at most this many", (value) => Number.parseInt(value, 10), 100),
  ).action(async (options: OutputOptions & { state?: JobState; limit: number }) =>
    context.withDatabase(async (db) => {
      const rows = await createJobRepository(db.prisma).list({ state: options.state, limit: options.limit });
      printList(options, rows, [
        { header: "ID", value: (row) => row.id },
        { header: "KIND", value: (row) => row.kind },
        { header: "STATE", value: (row) => row.state },
        { header: "ATTEMPTS", value: (row) => `${row.attempts}/${row.maxAttempts}` },
        { header: "DUE", value: (row) => row.runAt },
        { header: "LAST ERROR", value: (row) => row.lastError },
      ]);
    }),
  );

  withJson(jobs.command("retry").description("run a dead job again, with a fresh set of attempts").argument("<id>", "the job's ID, from jobs list")).action(
    async (id: string, options: OutputOptions) =>
      context.withDatabase(async (db) => {
        if (!(await createJobRepository(db.prisma).retry(id, context.clock.now()))) {
          throw new CliError(`No dead job ${id}: only dead jobs can be retried (see tessera jobs list --state dead).`);
        }
        printDone(options, `Job ${id} will run again shortly.`, { id, state: "ready" });
      }),
  );

  withJson(jobs.command("schedules").description("list recurring jobs with their last and next run (UTC)")).action(async (options: OutputOptions) =>
    context.withDatabase(async (db) => {
      const last = await createJobRepository(db.prisma).lastTicks();
      const now = context.clock.now();
      printList(
        options,
        schedules.map((schedule) => ({ name: schedule.name, cron: schedule.cron, job: schedule.job.name, description: schedule.description, lastTick: last.get(schedule.name) ?? null, nextTick: nextTick(schedule.cron, now) })),
        [
          { header: "NAME", value: (row) => row.name },
          { header: "CRON", value: (row) => row.cron },
          { header: "LAST", value: (row) => row.lastTick },
          { header: "NEXT", value: (row) => row.nextTick },
          { header: "WHAT", value: (row) => row.description },
        ],
      );
    }),
  );
}
