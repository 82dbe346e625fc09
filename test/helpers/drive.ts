import type { ManualClock } from "../../src/core/index.js";

/** Lets pending I/O callbacks and microtasks run (memory links deliver on microtasks). */
export async function flush(rounds = 3): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise<void>((r) => setImmediate(r));
}

/**
 * Awaits `p` while moving `clock` forward in `stepMs` steps, flushing I/O between steps, as
 * if time passed. Fails if `p` has not settled after `maxMs` of simulated time.
 */
export async function drive<T>(p: Promise<T>, clock: ManualClock, stepMs = 10, maxMs = 120_000): Promise<T> {
  let settled = false;
  const watched = p.finally(() => {
    settled = true;
  });
  watched.catch(() => {});
  for (let t = 0; !settled; t += stepMs) {
    if (t > maxMs) throw new Error(`did not settle within ${maxMs} ms of simulated time`);
    await flush();
    if (!settled) clock.advance(stepMs);
  }
  return p;
}

/** Runs `p` under drive() and returns the rejection (fails the test if it resolved). */
export async function driveRejects(p: Promise<unknown>, clock: ManualClock, stepMs = 10): Promise<unknown> {
  try {
    await drive(p, clock, stepMs);
  } catch (err) {
    return err;
  }
  throw new Error("expected a rejection, got a value");
}
