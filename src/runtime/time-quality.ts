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

  /**
   * The modem's network time (ISO with offset) read at clock time `at`. +CCLK and +QLTS give whole
   * seconds, so each reading is up to a second short of the true offset: taking each one as it
   * comes would move payload times back and forth by up to a second from poll to poll. The largest
   * of the readings that agree is kept (times only ever step forward); a reading more than 2 s away
   * is a real change (the system clock was set), and starts over.
   */
  setNetworkTime(iso: string, at = this.#clock.now()): void {
    const t = Date.parse(iso);
    if (Number.isNaN(t) || t <= Date.UTC(2020, 0, 1)) return;
    const sample = t - at;
    this.#offsetMs =
      this.#offsetMs === null || Math.abs(sample - this.#offsetMs) > 2000 ? sample : Math.max(this.#offsetMs, sample);
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

  /**
   * A time for payloads: `at` (a system clock time, default now) on the clock `clock` names. Every
   * time in one payload goes through here in the same synchronous step (the quality only changes
   * between them), so a payload never mixes the system clock with the network's.
   */
  stamp(at = this.#clock.now()): { ts: string; clock: ClockQuality } {
    const q = this.quality();
    return { ts: new Date(at + (q === "network" ? (this.#offsetMs ?? 0) : 0)).toISOString(), clock: q };
  }
}
