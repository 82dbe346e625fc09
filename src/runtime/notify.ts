import { execFile } from "node:child_process";
import { describeError, silentLogger, type Logger } from "../core/index.js";

/**
 * sd_notify without a native addon: Node cannot send on a unix datagram
 * socket, so each message is one `systemd-notify` run (the unit needs NotifyAccess=all, since
 * the sender is a child). Outside systemd (no NOTIFY_SOCKET) it does nothing. Messages are
 * sent one at a time; a STATUS or WATCHDOG that arrives while one is in flight replaces the
 * previous pending one of its kind.
 */
export class Notifier {
  readonly enabled: boolean;
  readonly #log: Logger;
  readonly #bin: string;
  readonly #env: NodeJS.ProcessEnv;
  #busy = false;
  readonly #pending = new Map<string, string[]>();

  constructor(o: { env?: NodeJS.ProcessEnv; log?: Logger; bin?: string } = {}) {
    this.#env = o.env ?? process.env;
    this.enabled = Boolean(this.#env.NOTIFY_SOCKET);
    this.#log = (o.log ?? silentLogger).child({ mod: "sd-notify" });
    this.#bin = o.bin ?? "systemd-notify";
  }

  /** The watchdog period systemd expects pings in (WatchdogSec=), or null when there is none. */
  watchdogMs(): number | null {
    const usec = Number(this.#env.WATCHDOG_USEC);
    const pid = this.#env.WATCHDOG_PID;
    if (!Number.isFinite(usec) || usec <= 0 || (pid !== undefined && Number(pid) !== process.pid)) return null;
    return Math.floor(usec / 1000);
  }

  ready(status: string): void {
    this.#send("ready", ["--ready", `--status=${status}`]);
  }

  status(line: string): void {
    this.#send("status", [`--status=${line}`]);
  }

  watchdog(): void {
    this.#send("watchdog", ["WATCHDOG=1"]);
  }

  stopping(): void {
    this.#send("stopping", ["STOPPING=1"]);
  }

  #send(kind: string, args: string[]): void {
    if (!this.enabled) return;
    this.#pending.set(kind, args);
    this.#drain();
  }

  #drain(): void {
    if (this.#busy) return;
    const next = this.#pending.entries().next().value;
    if (next === undefined) return;
    const [kind, args] = next;
    this.#pending.delete(kind);
    this.#busy = true;
    execFile(this.#bin, args, { env: this.#env, timeout: 10_000 }, (err) => {
      this.#busy = false;
      if (err) this.#log.warn({ kind, err: describeError(err) }, "systemd-notify failed");
      this.#drain();
    });
  }
}
