/**
 * A clock for startTestTessera({ clock }) that runs with real time plus an offset the test
 * moves forward: expiry, cooloff and rate limits without waiting.
 */
import type { Clock } from "../../src/shared/clock.js";

export interface MovableClock extends Clock {
  advance(seconds: number): void;
}

/**
 * `frozen`: time stands still until the test moves it, so counting in fixed windows
 * (throttling) cannot cross a window's edge in the middle of a test.
 */
export function movableClock(options: { frozen?: boolean } = {}): MovableClock {
  const start = Date.now();
  let offsetMs = 0;
  return {
    now: () => new Date((options.frozen ? start : Date.now()) + offsetMs),
    advance(seconds: number) {
      offsetMs += seconds * 1000;
    },
  };
}
