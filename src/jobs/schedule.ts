/**
 * Cron schedules (five fields, UTC). A tick is the latest time the expression matches at or
 * before now; the runner fires each tick once across processes (repository.advanceSchedule).
 */
import { CronExpressionParser } from "cron-parser";
import type { JobType } from "./types.js";

export interface Schedule {
  /** Stable name: the database remembers its last tick under it. */
  name: string;
  /** e.g. "0 * * * *" (hourly) */
  cron: string;
  job: JobType<Record<string, never>>;
  description: string;
}

export function latestTick(cron: string, now: Date): Date {
  // prev() answers the match strictly before currentDate: one millisecond on includes now.
  return CronExpressionParser.parse(cron, { currentDate: new Date(now.getTime() + 1), tz: "UTC" }).prev().toDate();
}

export function nextTick(cron: string, now: Date): Date {
  return CronExpressionParser.parse(cron, { currentDate: now, tz: "UTC" }).next().toDate();
}
