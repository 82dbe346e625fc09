/**
 * Time is a seam: everything that waits (command timeouts, recovery cooldowns, port polling)
 * takes a Clock, so tests drive time instead of sleeping.
 */
export type TimerHandle = { readonly __timer: unique symbol };

export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle | undefined): void;
}

// Looked up on each call (not captured at import) so vitest's fake timers also drive it.
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms) as unknown as TimerHandle,
  clearTimeout: (h) => {
    if (h !== undefined) globalThis.clearTimeout(h as unknown as NodeJS.Timeout);
  },
};

/** A clock that only moves when told to: `advance(ms)` fires due timers in time order. */
export class ManualClock implements Clock {
  #now: number;
  #seq = 0;
  #timers = new Map<number, { at: number; fn: () => void }>();

  constructor(start = 0) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const id = ++this.#seq;
    this.#timers.set(id, { at: this.#now + Math.max(0, ms), fn });
    return id as unknown as TimerHandle;
  }

  clearTimeout(handle: TimerHandle | undefined): void {
    if (handle !== undefined) this.#timers.delete(handle as unknown as number);
  }

  /** Number of timers still pending. */
  get pending(): number {
    return this.#timers.size;
  }

  advance(ms: number): void {
    const end = this.#now + ms;
    for (;;) {
      let next: [number, { at: number; fn: () => void }] | undefined;
      for (const entry of this.#timers) {
        if (entry[1].at <= end && (next === undefined || entry[1].at < next[1].at)) next = entry;
      }
      if (next === undefined) break;
      this.#timers.delete(next[0]);
      this.#now = next[1].at;
      next[1].fn();
    }
    this.#now = end;
  }
}

/** Resolves after `ms` on `clock`; rejects with the signal's reason if aborted first. */
export function sleep(ms: number, clock: Clock = systemClock, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason as Error);
      return;
    }
    const onAbort = () => {
      clock.clearTimeout(handle);
      reject(signal?.reason as Error);
    };
    const handle = clock.setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * Periodic tasks on a clock: never overlapping (the next run is scheduled once this one has
 * ended, promise included), all cancelled at once. `ms` is read at each scheduling, so a
 * reloaded interval applies from the next run.
 */
export class Timers {
  readonly #set = new Set<TimerHandle>();
  #stopped = false;

  constructor(
    readonly clock: Clock,
    readonly onError: (err: unknown) => void = () => {},
  ) {}

  every(ms: number | (() => number), fn: () => unknown): void {
    const schedule = () => {
      const h = this.clock.setTimeout(
        () => {
          this.#set.delete(h);
          Promise.resolve()
            .then(fn)
            .catch(this.onError)
            .finally(() => {
              if (!this.#stopped) schedule();
            });
        },
        typeof ms === "number" ? ms : ms(),
      );
      this.#set.add(h);
    };
    schedule();
  }

  stop(): void {
    this.#stopped = true;
    for (const h of this.#set) this.clock.clearTimeout(h);
    this.#set.clear();
  }
}

/** Waits for `p`, but no longer than `ms` (a stop must not hang on a slow step). */
export async function within(p: Promise<unknown>, ms: number, clock: Clock): Promise<void> {
  let h: TimerHandle | undefined;
  await Promise.race([p.catch(() => {}), new Promise<void>((r) => (h = clock.setTimeout(r, ms)))]);
  if (h !== undefined) clock.clearTimeout(h);
}
