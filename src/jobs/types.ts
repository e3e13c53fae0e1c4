import type { Prisma } from "../db/index.js";
import type { Logger } from "../shared/index.js";

/** A JSON object: what a job's payload is stored as. */
export type JobPayload = { [key: string]: Prisma.InputJsonValue | null | undefined };

/**
 * A kind of job: a name and the shape of its payload. Declared by the room that owns the
 * work (e.g. mail's `sendMail`); the handler is registered once at the composition root.
 */
export interface JobType<P extends JobPayload> {
  readonly name: string;
  /** Never set: carries the payload type. */
  readonly payloadType?: P;
}

export function jobType<P extends JobPayload>(name: string): JobType<P> {
  return { name };
}

export interface JobContext {
  /**
   * The job's id, the same on every attempt: pass it on where the receiver can drop a
   * repeat (a mail's Message-ID, a SET's jti), since delivery is at least once.
   */
  idempotencyKey: string;
  /** 1 on the first run. */
  attempt: number;
  log: Logger;
}

export interface JobHandler<P extends JobPayload> {
  run(payload: P, context: JobContext): Promise<void>;
  /** Runs before the job is dead. */
  maxAttempts: number;
  /** Seconds to wait before the next attempt after `attempt` failed (jitter is added). */
  retryDelaySeconds(attempt: number): number;
  /**
   * How long a claim lasts: longer than one run can take (the handler's own timeouts),
   * since after it another worker may take the job and run it again.
   */
  leaseSeconds: number;
}

/** A job that can never succeed (bad payload, receiver refusing for good): dead at once. */
export class PermanentJobError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PermanentJobError";
  }
}

/**
 * Not now, and not a failure: the job waits until `runAt` without using up an attempt (a
 * push to a paused stream is held until the stream resumes).
 */
export class JobDeferred extends Error {
  constructor(readonly runAt: Date) {
    super("deferred");
    this.name = "JobDeferred";
  }
}

/** What domain rooms see of the job runner: enqueue inside their own transaction. */
export interface JobQueue {
  enqueue<P extends JobPayload>(tx: Prisma.TransactionClient, type: JobType<P>, payload: P, options?: { runAt?: Date }): Promise<string>;
  /** Makes the waiting jobs of `type` whose payload has `key` = `value` due now; answers how many. */
  runNow<P extends JobPayload>(type: JobType<P>, key: keyof P & string, value: string): Promise<number>;
}

export type JobState = "ready" | "running" | "dead";

export interface JobRecord {
  id: string;
  kind: string;
  state: JobState;
  attempts: number;
  maxAttempts: number;
  runAt: Date;
  lastError: string | null;
  createdAt: Date;
}
