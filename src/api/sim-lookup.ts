import { describeError, silentLogger, systemClock, type Clock, type Logger } from "../core/index.js";
import type { CarrierApi, CarrierView } from "./carrier.js";
import { apiRetryDelayMs } from "./retry-policy.js";

export interface CachedView {
  view: CarrierView;
  /** Clock time it was fetched; `ageMs` tells how old it is now. */
  fetchedAt: number;
  ageMs: number;
}

/**
 * The carrier's view of this gateway's SIM, looked up by the modem's ICCID, cached with its age,
 * refreshed on an interval and on demand. A failed refresh keeps the last good view.
 */
export class SimLookup {
  #cached: { view: CarrierView; fetchedAt: number } | undefined;
  #inflight: Promise<CachedView> | undefined;
  #timer: ReturnType<Clock["setTimeout"]> | undefined;
  #failures = 0;
  #retryAt = 0;
  #refreshMs = 15 * 60_000;
  readonly #clock: Clock;
  readonly #log: Logger;

  constructor(
    readonly carrier: CarrierApi,
    readonly iccid: () => string | null,
    o: { clock?: Clock; log?: Logger } = {},
  ) {
    this.#clock = o.clock ?? systemClock;
    this.#log = (o.log ?? silentLogger).child({ mod: "sim-lookup" });
  }

  /** The cached view if it is younger than `maxAgeMs`, else a fresh one. */
  async get(maxAgeMs = Number.POSITIVE_INFINITY): Promise<CachedView> {
    if (this.#cached !== undefined && this.#clock.now() - this.#cached.fetchedAt <= maxAgeMs) return this.#withAge(this.#cached);
    return this.refresh();
  }

  /** Fetches now (one request at a time; callers during it share its result). */
  refresh(): Promise<CachedView> {
    this.#inflight ??= (async () => {
      const iccid = this.iccid();
      if (iccid === null) throw new Error("the modem's ICCID is not known yet");
      try {
        const view = await this.carrier.view(iccid, new Date(this.#clock.now()));
        this.#cached = { view, fetchedAt: this.#clock.now() };
        this.#failures = 0;
        this.#retryAt = 0;
        return this.#withAge(this.#cached);
      } catch (err) {
        this.#failures++;
        this.#retryAt = this.#clock.now() + apiRetryDelayMs(err, this.#failures, this.#refreshMs);
        throw err;
      }
    })().finally(() => (this.#inflight = undefined));
    return this.#inflight;
  }

  /**
   * The periodic refresh: fetches when the cached view is older than `refreshMs` and no earlier
   * failure's back-off is still running (apiRetryDelayMs). True when it fetched.
   */
  async refreshIfDue(refreshMs: number): Promise<boolean> {
    this.#refreshMs = refreshMs;
    const now = this.#clock.now();
    if (this.#cached !== undefined && now - this.#cached.fetchedAt < refreshMs) return false;
    if (now < this.#retryAt) return false;
    await this.refresh();
    return true;
  }

  /** When the next periodic refresh may ask the API (after failures), else null. */
  get retryAt(): number | null {
    return this.#retryAt > 0 ? this.#retryAt : null;
  }

  /** The last good view, however old, without fetching. */
  peek(): CachedView | undefined {
    return this.#cached ? this.#withAge(this.#cached) : undefined;
  }

  start(everyMs: number): void {
    const tick = () => {
      void this.refresh().catch((err: unknown) =>
        this.#log.warn({ err: describeError(err) }, "SIM lookup refresh failed; keeping the last view"),
      );
      this.#timer = this.#clock.setTimeout(tick, everyMs);
    };
    tick();
  }

  stop(): void {
    this.#clock.clearTimeout(this.#timer);
  }

  #withAge(c: { view: CarrierView; fetchedAt: number }): CachedView {
    return { ...c, ageMs: this.#clock.now() - c.fetchedAt };
  }
}
