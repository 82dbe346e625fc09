import { sleep, systemClock, type Clock } from "../core/index.js";

/**
 * The account's REST concurrency, shared by every request this process makes. Twilio limits
 * concurrent requests per account and answers the excess with 429 / 20429 (not processed, safe
 * to retry): a fleet-wide run keeps at most `max` requests in flight, less what other clients of
 * the account are seen to use (the `Twilio-Concurrent-Requests` header, when the API sends it).
 * After a 429 every request waits out the Retry-After, not only the one that was refused, and
 * the window loses a place per refusal (the account's room is smaller than `max` said); it grows
 * back by one after each window's worth of answers, once 30 s have passed without a 429.
 */
export class ConcurrencyLimiter {
  readonly max: number;
  readonly #clock: Clock;
  #inFlight = 0;
  #others = 0;
  #pausedUntil = 0;
  #cap: number;
  #answered = 0;
  #throttledAt = -Infinity;
  #waiting: Array<() => void> = [];
  /** The most requests that were ever in flight at once (for the tests and the benchmark). */
  peak = 0;

  constructor(max: number, clock: Clock = systemClock) {
    if (!Number.isInteger(max) || max < 1) throw new RangeError(`concurrency must be a positive integer, got ${max}`);
    this.max = max;
    this.#cap = max;
    this.#clock = clock;
  }

  /** How many of ours may be in flight now. */
  get limit(): number {
    return Math.max(1, Math.min(this.#cap, this.max - this.#others));
  }

  get inFlight(): number {
    return this.#inFlight;
  }

  /** Resolves with the release function once a request may go out. */
  async acquire(signal?: AbortSignal): Promise<() => void> {
    for (;;) {
      const pause = this.#pausedUntil - this.#clock.now();
      if (pause > 0) {
        await sleep(pause, this.#clock, signal);
        continue;
      }
      if (this.#inFlight < this.limit) break;
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
      signal?.throwIfAborted();
    }
    this.#inFlight++;
    this.peak = Math.max(this.peak, this.#inFlight);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#inFlight--;
      this.#wake();
    };
  }

  /** Nothing of ours goes out before `untilMs`. */
  pause(untilMs: number): void {
    this.#pausedUntil = Math.max(this.#pausedUntil, untilMs);
  }

  /** A 429: the account is over its limit, whoever caused it. Everything waits until `untilMs`; the window shrinks. */
  throttled(untilMs: number): void {
    const now = this.#clock.now();
    // Each refusal was one request too many: the window loses a place for each (never below one),
    // starting from what was really out, so a burst that overshot lands on the account's room at once.
    this.#cap = Math.max(1, Math.min(this.#cap, this.#inFlight + 1) - 1);
    this.#answered = 0;
    this.#throttledAt = now;
    this.pause(untilMs);
  }

  /**
   * An answer that was not a 429: after a window's worth of them, one more may go out at once —
   * but not within 30 s of a 429, since each probe past the account's limit stops everything for
   * a Retry-After.
   */
  answered(): void {
    if (this.#cap >= this.max || this.#clock.now() - this.#throttledAt < 30_000 || ++this.#answered < this.#cap) return;
    this.#answered = 0;
    this.#cap++;
    this.#wake();
  }

  /**
   * The account's concurrent requests as the API counted them while answering one of ours
   * (`Twilio-Concurrent-Requests`): what is not ours is another client's, and leaves us less.
   */
  observe(accountConcurrent: number): void {
    if (!Number.isFinite(accountConcurrent) || accountConcurrent < 0) return;
    this.#others = Math.max(0, Math.min(this.max - 1, Math.round(accountConcurrent) - this.#inFlight));
    this.#wake();
  }

  /** As many waiting requests as there are free places look again (not all of them: a fleet queues thousands). */
  #wake(): void {
    const free = this.limit - this.#inFlight;
    for (const w of this.#waiting.splice(0, Math.max(0, free))) w();
  }
}
