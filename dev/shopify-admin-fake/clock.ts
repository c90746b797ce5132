// A clock tests move by hand, for the fake's `now` option (and anything else that takes one).

export interface ManualClock {
  now: () => number;
  advance(ms: number): void;
  set(ms: number): void;
}

export function createManualClock(start: number | Date = Date.UTC(2025, 10, 1, 12, 0, 0)): ManualClock {
  let t = typeof start === "number" ? start : start.getTime();
  return {
    now: () => t,
    advance(ms) {
      t += ms;
    },
    set(ms) {
      t = ms;
    },
  };
}
