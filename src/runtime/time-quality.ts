import { systemClock, type Clock } from "../core/index.js";
import type { SyncReading } from "./clock-sync.js";

export type ClockQuality = "synced" | "network" | "unsynced";

/** Where the synchronisation state comes from (a ClockSync). */
export interface SyncSource {
  current(): SyncReading;
  refresh?(): Promise<unknown>;
}

/**
 * The time put in payloads and its quality. A Pi has no RTC: until NTP has synchronised the
 * clock (the kernel's state, read by ClockSync), times are guesses. When the modem has reported
 * network time (+CCLK / +QLTS), that is used instead, as an offset.
 */
export class TimeKeeper {
  readonly #clock: Clock;
  readonly #sync: SyncSource;
  #offsetMs: number | null = null;

  constructor(o: { clock?: Clock; sync?: SyncSource } = {}) {
    this.#clock = o.clock ?? systemClock;
    this.#sync = o.sync ?? { current: () => ({ state: "unknown", via: "not read" }) };
  }

  /** The modem's network time (ISO with offset) read at clock time `at`. */
  setNetworkTime(iso: string, at = this.#clock.now()): void {
    const t = Date.parse(iso);
    if (!Number.isNaN(t) && t > Date.UTC(2020, 0, 1)) this.#offsetMs = t - at;
  }

  /** The kernel's synchronisation state as last read, and how. */
  sync(): SyncReading {
    return this.#sync.current();
  }

  /** Reads the synchronisation state again when the source's reading is due (each poll calls it). */
  async refreshSync(): Promise<void> {
    await this.#sync.refresh?.();
  }

  quality(): ClockQuality {
    if (this.#sync.current().state === "synced") return "synced";
    return this.#offsetMs !== null ? "network" : "unsynced";
  }

  stamp(): { ts: string; clock: ClockQuality } {
    const q = this.quality();
    const now = this.#clock.now() + (q === "network" ? (this.#offsetMs ?? 0) : 0);
    return { ts: new Date(now).toISOString(), clock: q };
  }
}
