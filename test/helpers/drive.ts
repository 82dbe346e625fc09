import type { ManualClock } from "../../src/core/index.js";

/** Lets pending I/O callbacks and microtasks run (memory links deliver on microtasks). */
export async function flush(rounds = 3): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise<void>((r) => setImmediate(r));
}

// File system requests in flight (fsync of the state files): libuv's thread pool, not the event loop.
const FS_REQUESTS = new Set(["FSReqPromise", "FSReqCallback", "FileHandleCloseReq", "CloseReq"]);
const fsBusy = () => process.getActiveResourcesInfo().some((r) => FS_REQUESTS.has(r));

/** Waits (in real time, up to `capMs`) for pending file system requests to finish. */
async function settleIo(capMs = 10_000): Promise<void> {
  const deadline = Date.now() + capMs;
  while (fsBusy() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 1));
}

/**
 * Awaits `p` while moving `clock` forward in `stepMs` steps, flushing I/O between steps, as
 * if time passed. Simulated time stands still while a file system request is in flight: an
 * fsync that is slow on a loaded machine must not let AT timeouts and retries fire that a real
 * clock would not. Fails if `p` has not settled after `maxMs` of simulated time.
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
    await settleIo();
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
