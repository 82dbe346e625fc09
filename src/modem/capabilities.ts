import { describeError, type Logger } from "../core/index.js";

/** What cellgate learned of one command on this modem since it last booted. */
export interface Capability {
  command: string;
  state: "supported" | "unsupported";
  /** How the modem refused it (the final result line), for the trace and `status --json`. */
  detail?: string;
}

/**
 * The optional commands a modem has and lacks, learned from its answers once per modem boot:
 * an LTE module refuses AT+C5GREG? today and will refuse it at every poll, so it is not asked
 * again until the modem restarts (or is re-initialised), when the table starts empty.
 */
export class Capabilities {
  readonly #table = new Map<string, Capability>();
  readonly #log: Logger;

  constructor(log: Logger) {
    this.#log = log;
  }

  isUnsupported(command: string): boolean {
    return this.#table.get(command)?.state === "unsupported";
  }

  supported(command: string): void {
    if (this.#table.get(command)?.state !== "supported") this.#table.set(command, { command, state: "supported" });
  }

  unsupported(command: string, err: unknown): void {
    const detail = describeError(err);
    this.#table.set(command, { command, state: "unsupported", detail });
    this.#log.info({ command, detail }, "the modem lacks this command; not asked again until it restarts");
  }

  /** A new modem boot (or a re-init): nothing is known any more. */
  reset(): void {
    this.#table.clear();
  }

  /** The table, sorted by command, for snapshots. */
  list(): Capability[] {
    return [...this.#table.values()].sort((a, b) => a.command.localeCompare(b.command));
  }
}
