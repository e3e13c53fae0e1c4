/**
 * Retry delays. Jitter (±25 %) keeps jobs that failed together — a receiver or a mail server
 * that was down — from all retrying in the same second when it comes back.
 */

/** base, 2·base, 4·base, … capped at maxSeconds. */
export function exponentialDelay(baseSeconds: number, maxSeconds = 6 * 60 * 60): (attempt: number) => number {
  return (attempt) => Math.min(maxSeconds, baseSeconds * 2 ** Math.max(0, attempt - 1));
}

/** The n-th step after the n-th failed attempt; the last step repeats. */
export function steppedDelay(steps: readonly number[]): (attempt: number) => number {
  return (attempt) => steps[Math.min(Math.max(attempt, 1), steps.length) - 1] ?? 0;
}

export function withJitter(seconds: number, random: () => number = Math.random): number {
  return seconds * (0.75 + random() * 0.5);
}
