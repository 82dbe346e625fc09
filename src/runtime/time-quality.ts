import { existsSync } from "node:fs";
import { systemClock, type Clock } from "../core/index.js";

export type ClockQuality = "synced" | "network" | "unsynced";

/**
 * The time put in payloads and its quality. A Pi has no RTC: until NTP has synchronised the
 * clock (systemd-timesyncd creates /run/systemd/timesync/synchronized), times are guesses. When
 * the modem has reported network time (+CCLK / +QLTS), that is used instead, as an offset.
 */
export class TimeKeeper {
  readonly #clock: Clock;
  readonly #syncedMarkers: readonly string[];
  #offsetMs: number | null = null;

  constructor(o: { clock?: Clock; syncedMarkers?: readonly string[] } = {}) {
    this.#clock = o.clock ?? systemClock;
    this.#syncedMarkers = o.syncedMarkers ?? ["/run/systemd/timesync/synchronized"];
  }

  /** The modem's network time (ISO with offset) read at clock time `at`. */
  setNetworkTime(iso: string, at = this.#clock.now()): void {
    const t = Date.parse(iso);
    if (!Number.isNaN(t) && t > Date.UTC(2020, 0, 1)) this.#offsetMs = t - at;
  }

  quality(): ClockQuality {
    if (this.#syncedMarkers.some((p) => existsSync(p))) return "synced";
    return this.#offsetMs !== null ? "network" : "unsynced";
  }

  stamp(): { ts: string; clock: ClockQuality } {
    const q = this.quality();
    const now = this.#clock.now() + (q === "network" ? (this.#offsetMs ?? 0) : 0);
    return { ts: new Date(now).toISOString(), clock: q };
  }
}
