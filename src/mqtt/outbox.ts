import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { AppendLog, CellgateError, silentLogger, systemClock, type Clock, type Logger } from "../core/index.js";

export interface OutboxLimits {
  maxMessages: number;
  maxBytes: number;
  maxAgeMs: number;
}

export interface OutboxEntry {
  seq: number;
  /** Clock time it was queued. */
  at: number;
  topic: string;
  payload: string;
  qos: 0 | 1;
  retain: boolean;
}

export interface OutboxStats {
  depth: number;
  bytes: number;
  oldestAgeS: number | null;
  /** Dropped since start, by why: the count cap, the byte cap, age. */
  dropped: { count: number; bytes: number; age: number };
}

type Line = OutboxEntry | { ack: number };

/**
 * The bounded, durable backlog of QoS 1 messages the broker has not acknowledged (docs/mqtt.md,
 * "Delivery"): an append-only JSON-lines file, fsynced before `add` resolves (so it is a
 * valid hand-off for an SMS), acknowledgements appended as tombstones and compacted away.
 * When a cap is reached the oldest messages are dropped and counted — never the newest, never
 * silently. A torn last line (power cut mid-write) is ignored on open.
 */
export class Outbox {
  readonly #file: AppendLog<Line>;
  readonly #limits: OutboxLimits;
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #entries = new Map<number, OutboxEntry>();
  #bytes = 0;
  #seq = 0;
  #tombstones = 0;
  #adds: Promise<unknown> = Promise.resolve();
  readonly dropped = { count: 0, bytes: 0, age: 0 };

  private constructor(dir: string, limits: OutboxLimits, clock: Clock, log: Logger) {
    this.#file = new AppendLog(join(dir, "outbox.jsonl"), "outbox");
    this.#limits = limits;
    this.#clock = clock;
    this.#log = log.child({ mod: "outbox" });
  }

  static async open(dir: string, limits: OutboxLimits, o: { clock?: Clock; log?: Logger } = {}): Promise<Outbox> {
    const box = new Outbox(dir, limits, o.clock ?? systemClock, o.log ?? silentLogger);
    await mkdir(dir, { recursive: true }).catch((err: unknown) => {
      throw new CellgateError("CG_ERR_STATE_IO", `cannot create the outbox directory ${dir}: ${(err as Error).message}`, {
        path: dir,
      });
    });
    await box.#load();
    return box;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** Oldest first. */
  pending(): OutboxEntry[] {
    return [...this.#entries.values()];
  }

  stats(): OutboxStats {
    const oldest = this.#entries.values().next().value;
    return {
      depth: this.#entries.size,
      bytes: this.#bytes,
      oldestAgeS: oldest ? Math.round((this.#clock.now() - oldest.at) / 1000) : null,
      dropped: { ...this.dropped },
    };
  }

  /**
   * Queues a message durably (resolves after fsync); drops the oldest beyond the caps. The line
   * is written first: when the write fails nothing changes (no queued copy that the caller, who
   * gets the error, will add again), and the sequence number is used again by the next add, so
   * a line that reached the disk anyway is replaced by that one when the file is read.
   */
  add(m: Omit<OutboxEntry, "seq" | "at">): Promise<OutboxEntry> {
    // One add at a time: two at once took the same sequence number, and the second replaced the
    // first (in memory, and in the file when it is read again): a queued message lost.
    const run = this.#adds.then(() => this.#add(m));
    this.#adds = run.catch(() => {});
    return run;
  }

  async #add(m: Omit<OutboxEntry, "seq" | "at">): Promise<OutboxEntry> {
    const entry: OutboxEntry = { ...m, seq: this.#seq + 1, at: this.#clock.now() };
    const size = sizeOf(entry);
    if (size > this.#limits.maxBytes) {
      this.dropped.bytes++;
      throw new CellgateError(
        "CG_ERR_STATE_IO",
        `a ${size}-byte message does not fit the outbox (maxBytes ${this.#limits.maxBytes})`,
        { topic: m.topic },
      );
    }
    await this.#file.append([entry], true);
    this.#seq = entry.seq;
    this.expire();
    while (this.#entries.size >= this.#limits.maxMessages) this.#dropOldest("count");
    while (this.#bytes + size > this.#limits.maxBytes) this.#dropOldest("bytes");
    this.#entries.set(entry.seq, entry);
    this.#bytes += size;
    return entry;
  }

  /** The broker acknowledged it: forget it (a tombstone; no fsync — at worst it is sent twice). */
  async ack(seq: number): Promise<void> {
    const e = this.#entries.get(seq);
    if (e === undefined) return;
    this.#entries.delete(seq);
    this.#bytes -= sizeOf(e);
    this.#tombstones++;
    await this.#file.append([{ ack: seq }], false);
    if (this.#tombstones > 500 && this.#tombstones > this.#entries.size) await this.compact();
  }

  /** Drops messages older than maxAgeMs (counted). */
  expire(): void {
    const limit = this.#clock.now() - this.#limits.maxAgeMs;
    for (const e of this.#entries.values()) {
      if (e.at >= limit) break;
      this.#dropOldest("age");
    }
  }

  /** Rewrites the file with the live entries only. */
  async compact(): Promise<void> {
    await this.#file.rewrite([...this.#entries.values()]);
    this.#tombstones = 0;
  }

  async close(): Promise<void> {
    await this.#file.close();
  }

  #dropOldest(why: "count" | "bytes" | "age"): void {
    const first = this.#entries.values().next().value;
    if (first === undefined) return;
    this.#entries.delete(first.seq);
    this.#bytes -= sizeOf(first);
    this.dropped[why]++;
    this.#tombstones++;
    this.#log.warn(
      { topic: first.topic, why, ageS: Math.round((this.#clock.now() - first.at) / 1000) },
      "outbox full: dropped the oldest message",
    );
    void this.#file.append([{ ack: first.seq }], false);
  }

  async #load(): Promise<void> {
    // A file that cannot be read is no backlog, as before the first message.
    const lines = await this.#file
      .read((line) => this.#log.warn({ line: line.slice(0, 80) }, "outbox: ignoring a torn line"))
      .catch(() => []);
    for (const l of lines) {
      if ("ack" in l) {
        const e = this.#entries.get(l.ack);
        if (e) {
          this.#entries.delete(l.ack);
          this.#bytes -= sizeOf(e);
        }
      } else {
        this.#entries.set(l.seq, l);
        this.#bytes += sizeOf(l);
        this.#seq = Math.max(this.#seq, l.seq);
      }
    }
    // A full or read-only state directory must not keep the daemon down: the backlog is in memory,
    // and adds fail (so SMS stay on the modem) until the disk can be written again.
    await this.compact().catch((err: unknown) => this.#log.error({ err: (err as Error).message }, "outbox not compacted"));
    if (this.#entries.size > 0) this.#log.info({ depth: this.#entries.size }, "outbox: backlog from before the restart");
  }
}

function sizeOf(e: OutboxEntry): number {
  return Buffer.byteLength(e.payload) + Buffer.byteLength(e.topic);
}
