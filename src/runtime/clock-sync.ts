import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { systemClock, type Clock } from "../core/index.js";

/** Whether the kernel says its clock is synchronised, or that it could not be asked. */
export type SyncState = "synced" | "unsynced" | "unknown";

export interface SyncReading {
  state: SyncState;
  /** How it was read ("timedatectl: NTPSynchronized=no"), or why it could not be. */
  via: string;
}

/** Runs a program; resolves with its exit code and output, or the error that kept it from running. */
export type Runner = (
  file: string,
  args: string[],
  timeoutMs: number,
) => Promise<{ code: number | null; stdout: string; stderr: string; error?: string }>;

export interface ClockSyncOptions {
  clock?: Clock;
  run?: Runner;
  timedatectl?: string;
  /** systemd-timesyncd's mark of a synchronisation it made. */
  marker?: string;
  /** A reading is reused this long (a poll every few seconds need not ask every time). */
  maxAgeMs?: number;
}

const realRun: Runner = (file, args, timeoutMs) =>
  new Promise((resolve) =>
    execFile(file, args, { timeout: timeoutMs, encoding: "utf8" }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === "number" ? err.code : null) : 0;
      const error = err && typeof err.code !== "number" ? (err.code ?? err.message) : undefined;
      resolve({ code, stdout, stderr, ...(error !== undefined ? { error: String(error) } : {}) });
    }),
  );

/**
 * The kernel's clock synchronisation state: adjtimex()'s STA_UNSYNC, set by whichever NTP client
 * disciplines the clock (systemd-timesyncd, chrony, ntpd) — not one client's own marker file.
 *
 * Node has no adjtimex binding, and under the unit's ProtectClock=yes the syscall is filtered
 * for cellgate itself anyway. `timedatectl show -p NTPSynchronized` asks systemd-timedated over
 * D-Bus, and timedated makes the adjtimex call in its own process, so it works under that
 * hardening with nothing to install. timesyncd's /run/systemd/timesync/synchronized is only a
 * "yes" (no file says nothing about chrony or ntpd). Where neither answers (no systemd, no D-Bus:
 * containers, other inits) the state is "unknown", which is not "unsynchronised".
 */
export class ClockSync {
  readonly #o: Required<Omit<ClockSyncOptions, "clock">>;
  readonly #clock: Clock;
  #reading: SyncReading = { state: "unknown", via: "not read yet" };
  #readAt: number | null = null;
  #reading$: Promise<SyncReading> | undefined;

  constructor(o: ClockSyncOptions = {}) {
    this.#clock = o.clock ?? systemClock;
    this.#o = {
      run: o.run ?? realRun,
      timedatectl: o.timedatectl ?? "timedatectl",
      marker: o.marker ?? "/run/systemd/timesync/synchronized",
      maxAgeMs: o.maxAgeMs ?? 60_000,
    };
  }

  /** The last reading (for every payload's quality flag: no process runs here). */
  current(): SyncReading {
    return this.#reading;
  }

  /** A fresh reading when the last one is older than maxAgeMs; concurrent callers share one. */
  refresh(): Promise<SyncReading> {
    if (this.#readAt !== null && this.#clock.now() - this.#readAt < this.#o.maxAgeMs) return Promise.resolve(this.#reading);
    this.#reading$ ??= this.#read().then((r) => {
      this.#reading = r;
      this.#readAt = this.#clock.now();
      this.#reading$ = undefined;
      return r;
    });
    return this.#reading$;
  }

  async #read(): Promise<SyncReading> {
    const r = await this.#o.run(this.#o.timedatectl, ["show", "--property=NTPSynchronized", "--value"], 5000);
    const answer = r.code === 0 ? r.stdout.trim() : "";
    if (answer === "yes") return { state: "synced", via: "timedatectl: NTPSynchronized=yes" };
    if (answer === "no") return { state: "unsynced", via: "timedatectl: NTPSynchronized=no" };
    if (existsSync(this.#o.marker)) return { state: "synced", via: `systemd-timesyncd (${this.#o.marker})` };
    const why =
      r.error ?? (r.code === 0 ? `answered ${JSON.stringify(answer)}` : r.stderr.trim().split("\n").pop() || `exit ${r.code}`);
    return { state: "unknown", via: `timedatectl could not tell (${why})` };
  }
}
