// A wall clock that is off, and can jump, for one process: imported first (`node --import`) by
// the daemon under test, it moves Date by the milliseconds written in the file named by
// SKEWED_CLOCK_FILE, re-read every 50 ms. Timers are untouched (they run on the
// monotonic clock, as they do when a real system clock is stepped). Setting the machine's clock
// would move every other process on this shared machine, and libfaketime is not installed: this
// is the narrowest seam that shows the daemon a skewed and jumping system clock.
import { readFileSync } from "node:fs";
import { systemClock, type Clock } from "../../src/core/index.js";

const file = process.env.SKEWED_CLOCK_FILE;
if (file !== undefined) {
  const RealDate = Date;
  let offsetMs = 0;
  const read = () => {
    try {
      offsetMs = Number(readFileSync(file, "utf8").trim()) || 0;
    } catch {
      // no file yet: no offset
    }
  };
  read();
  setInterval(read, 50).unref();
  class SkewedDate extends RealDate {
    constructor(...args: unknown[]) {
      if (args.length === 0) super(RealDate.now() + offsetMs);
      else super(...(args as [string]));
    }
    static override now(): number {
      return RealDate.now() + offsetMs;
    }
  }
  globalThis.Date = SkewedDate as DateConstructor;
}

/** A clock whose `now` is the system's plus a changeable offset (the simulated network's time). */
export function offsetClock(): Clock & { offsetMs: number } {
  const c = {
    offsetMs: 0,
    now: () => systemClock.now() + c.offsetMs,
    setTimeout: systemClock.setTimeout,
    clearTimeout: systemClock.clearTimeout,
  };
  return c;
}
