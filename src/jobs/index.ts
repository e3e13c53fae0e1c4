/** The job room: one durable runner for background and scheduled work, and the event log on it. */
export { exponentialDelay, steppedDelay, withJitter } from "./backoff.js";
export { createEventLog, type EventLog, type EventRecorder } from "./events.js";
export { createJobRepository, type JobRepository } from "./repository.js";
export { createJobRunner, type JobRunner } from "./runner.js";
export { latestTick, nextTick, type Schedule } from "./schedule.js";
export { scheduledTask } from "./scheduled-task.js";
export { JobDeferred, jobType, PermanentJobError, type JobContext, type JobHandler, type JobPayload, type JobQueue, type JobRecord, type JobState, type JobType } from "./types.js";
