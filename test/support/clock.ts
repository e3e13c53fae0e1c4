/**
 * A clock for startTestTessera({ clock }) that runs with real time plus an offset the test
 * moves forward: expiry, cooloff and rate limits without waiting.
 */
import type { Clock } from "../../src/shared/clock.js";

export interface MovableClock extends Clock {
  advance(seconds: number): void;
}

export function movableClock(): MovableClock {
  let offsetMs = 0;
  return {
    now: () => new Date(Date.now() + offsetMs),
    advance(seconds: number) {
      offsetMs += seconds * 1000;
    },
  };
}
