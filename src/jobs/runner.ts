/**
 * The one durable job runner. Rules:
 * - jobs are written in the caller's transaction (queue.ts): rollback, no job;
 * - a worker claims due jobs (repository.ts, SKIP LOCKED under a lease) and runs them; a job
 *   runs once at a time across every process, and at least once in all: a worker killed
 *   after the work and before recording it leaves the job to be run again when the lease
 *   lapses, with the same idempotency key;
 * - a failure is retried after the handler's delay with jitter; after maxAttempts, or at
 *   once for a PermanentJobError, the job is dead and kept for the operator (`jobs list`);
 * - work is picked up at once when a commit NOTIFYs the jobs channel (PostgreSQL
 *   LISTEN/NOTIFY; PGlite delivers it in-process), when the next retry or schedule tick
 *   is due, and by a poll every pollSeconds should a notification be missed;
 * - one pass at a time per process; a wake-up during a pass runs one more pass after it.
 */
import type { Clock } from "../shared/index.js";
import type { Logger } from "../shared/index.js";
import { withJitter } from "./backoff.js";
import { describeJobError } from "./describe-error.js";
import { jobsChannel, writeJob } from "./queue.js";
import type { ClaimedJob, JobRepository } from "./repository.js";
import { nextTick, latestTick, type Schedule } from "./schedule.js";
import { JobDeferred, PermanentJobError, type JobHandler, type JobPayload, type JobQueue, type JobType } from "./types.js";

export interface JobRunnerDeps {
  repo: JobRepository;
  clock: Clock;
  log: Logger;
  /** Subscribes to a notification channel; resolves to its unsubscribe. */
  listen(channel: string, onNotify: () => void): Promise<() => Promise<void>>;
  pollSeconds: number;
  /** Jobs run side by side in one pass. */
  batchSize?: number;
  random?: () => number;
}

export interface JobRunner extends JobQueue {
  define<P extends JobPayload>(type: JobType<P>, handler: JobHandler<P>): void;
  /** Declares a cron schedule whose every tick enqueues one job of `type` (payload `{}`). */
  schedule(schedule: Schedule): void;
  /** Runs every job that is due now (and fires due schedule ticks); resolves to how many ran. */
  runDue(): Promise<number>;
  /** Resolves once nothing is due and nothing runs in this process. */
  whenIdle(): Promise<void>;
  start(): Promise<void>;
  /** Stops waking up and waits for the running pass. */
  stop(): Promise<void>;
}

/** Never wait longer than this for a timer (setTimeout's limit is about 24.8 days). */
const maxTimerMs = 60 * 60 * 1000;

export function createJobRunner(deps: JobRunnerDeps): JobRunner {
  const { repo, clock, log } = deps;
  const batchSize = deps.batchSize ?? 10;
  const random = deps.random ?? Math.random;
  const handlers = new Map<string, JobHandler<JobPayload>>();
  const schedules: Schedule[] = [];
  let running: Promise<number> | undefined;
  let next: Promise<number> | undefined;
  let started = false;
  let timer: NodeJS.Timeout | undefined;
  let unlisten: (() => Promise<void>) | undefined;

  const leases = () => new Map([...handlers].map(([kind, handler]) => [kind, handler.leaseSeconds]));
  const later = (seconds: number) => new Date(clock.now().getTime() + seconds * 1000);

  async function runOne(job: ClaimedJob): Promise<void> {
    const handler = handlers.get(job.kind);
    const jobLog = log.child({ jobId: job.id, kind: job.kind, attempt: job.attempts });
    if (!handler) return;
    if (job.attempts > job.maxAttempts) {
      // Only a job whose lease lapsed on its last attempt gets here: its worker died.
      await repo.bury(job.id, "the worker running its last attempt stopped before finishing", clock.now());
      jobLog.error("job is dead: its last attempt never finished");
      return;
    }
    try {
      await handler.run(job.payload as JobPayload, { idempotencyKey: job.id, attempt: job.attempts, log: jobLog });
    } catch (error) {
      if (error instanceof JobDeferred) {
        await repo.defer(job.id, error.runAt, clock.now());
        return;
      }
      const lastError = describeJobError(error);
      if (error instanceof PermanentJobError || job.attempts >= job.maxAttempts) {
        await repo.bury(job.id, lastError, clock.now());
        jobLog.error({ error: lastError }, "job failed for the last time; it is kept as dead");
        return;
      }
      const runAt = later(withJitter(handler.retryDelaySeconds(job.attempts), random));
      await repo.retryLater(job.id, runAt, lastError, clock.now());
      jobLog.warn({ error: lastError, runAt }, "job failed; it will be retried");
      return;
    }
    await repo.complete(job.id);
  }

  /** The last tick each schedule was settled for here (fired by this process or another). */
  const settledTicks = new Map<string, number>();

  async function fireSchedules(): Promise<void> {
    const now = clock.now();
    for (const schedule of schedules) {
      const tick = latestTick(schedule.cron, now);
      // Every job wake-up runs a pass; only a tick not yet settled needs the database.
      if (settledTicks.get(schedule.name) === tick.getTime()) continue;
      const fired = await repo.transaction(async (tx) => {
        if (!(await repo.advanceSchedule(tx, schedule.name, tick))) return false;
        await writeJob(tx, { kind: schedule.job.name, payload: {}, runAt: now, maxAttempts: handlers.get(schedule.job.name)?.maxAttempts ?? 1, now });
        return true;
      });
      settledTicks.set(schedule.name, tick.getTime());
      if (fired) log.debug({ schedule: schedule.name, tick }, "schedule fired");
    }
  }

  async function pass(): Promise<number> {
    let ran = 0;
    await fireSchedules();
    for (;;) {
      const claimed = await repo.claim(clock.now(), leases(), batchSize);
      // One job's failure is recorded by runOne; a fault recording it must not stop the others.
      const results = await Promise.allSettled(claimed.map(runOne));
      for (const result of results) {
        if (result.status === "rejected") log.warn({ error: describeJobError(result.reason) }, "recording a job's outcome failed; it runs again after its lease");
      }
      ran += claimed.length;
      if (claimed.length < batchSize) break;
    }
    if (started) await armTimer();
    return ran;
  }

  /** Wakes for the next retry, lease lapse or schedule tick, or the poll, whichever is first. */
  async function armTimer(): Promise<void> {
    const now = clock.now().getTime();
    const due = await repo.nextDueAt([...handlers.keys()]);
    const times = [now + deps.pollSeconds * 1000, ...(due ? [due.getTime()] : []), ...schedules.map((schedule) => nextTick(schedule.cron, clock.now()).getTime())];
    const wait = Math.min(maxTimerMs, Math.max(0, Math.min(...times) - now));
    clearTimeout(timer);
    if (!started) return;
    timer = setTimeout(wake, wait);
    timer.unref();
  }

  function runDue(): Promise<number> {
    if (!running) {
      running = pass().finally(() => {
        running = undefined;
      });
      return running;
    }
    // A job committed during a pass may have been missed by it: one more pass, shared by all callers.
    next ??= running
      .catch(() => 0)
      .then(() => {
        next = undefined;
        return runDue();
      });
    return next;
  }

  function wake(): void {
    if (!started) return;
    runDue().catch((error: unknown) => {
      log.warn({ error: describeJobError(error) }, "job pass failed; retrying at the next poll");
      clearTimeout(timer);
      timer = setTimeout(wake, deps.pollSeconds * 1000);
      timer.unref();
    });
  }

  return {
    async enqueue(tx, type, payload, options = {}) {
      const handler = handlers.get(type.name);
      if (!handler) throw new TypeError(`No handler is defined for jobs of kind ${type.name}`);
      const now = clock.now();
      return writeJob(tx, { kind: type.name, payload, runAt: options.runAt ?? now, maxAttempts: handler.maxAttempts, now });
    },

    runNow: (type, key, value) => repo.runNow(type.name, key, value, clock.now()),

    define(type, handler) {
      if (handlers.has(type.name)) throw new TypeError(`Jobs of kind ${type.name} already have a handler`);
      handlers.set(type.name, handler as unknown as JobHandler<JobPayload>);
    },

    schedule(schedule) {
      if (!handlers.has(schedule.job.name)) throw new TypeError(`Schedule ${schedule.name} needs a handler for ${schedule.job.name}`);
      latestTick(schedule.cron, clock.now()); // an invalid expression fails at start, not at its first tick
      schedules.push(schedule);
    },

    runDue,

    async whenIdle() {
      for (;;) {
        await (next ?? running)?.catch(() => 0);
        const due = await repo.countDue([...handlers.keys()], clock.now());
        if (!due && !running && !next) return;
        await runDue();
      }
    },

    async start() {
      if (started) return;
      started = true;
      unlisten = await deps.listen(jobsChannel, wake);
      wake();
    },

    async stop() {
      started = false;
      clearTimeout(timer);
      await unlisten?.();
      unlisten = undefined;
      await (next ?? running)?.catch(() => 0);
    },
  };
}
