import { join } from "node:path";
import { readJsonFile, writeFileDurable } from "../core/index.js";

export interface SeenSetOptions {
  dir: string;
  /** Entries older than this are forgotten (Twilio keeps Commands 30 days). */
  maxAgeMs?: number;
  /** At most this many entries; the oldest go first. */
  maxEntries?: number;
}

const DAY = 24 * 60 * 60 * 1000;

/**
 * Ids of messages already handed off, persisted (fsync) so a Command is delivered at most
 * once across restarts and network re-deliveries; bounded in size and age.
 */
export class SeenSet {
  readonly #path: string;
  readonly #maxAgeMs: number;
  readonly #maxEntries: number;
  #entries = new Map<string, number>();
  #writes: Promise<void> = Promise.resolve();

  private constructor(o: SeenSetOptions) {
    this.#path = join(o.dir, "seen.json");
    this.#maxAgeMs = o.maxAgeMs ?? 30 * DAY;
    this.#maxEntries = o.maxEntries ?? 10_000;
  }

  static async open(o: SeenSetOptions): Promise<SeenSet> {
    const s = new SeenSet(o);
    const stored = await readJsonFile<Record<string, number>>(s.#path);
    s.#entries = new Map(Object.entries(stored ?? {}));
    return s;
  }

  has(id: string, now: number): boolean {
    const at = this.#entries.get(id);
    return at !== undefined && now - at < this.#maxAgeMs;
  }

  /** Written first: if the write fails the set is as the disk has it, and the caller keeps the SMS to try again. */
  add(id: string, now: number): Promise<void> {
    // One at a time, each from what the one before left: two at once would each leave out the other's id.
    const run = this.#writes.then(async () => {
      const next = new Map(this.#entries);
      next.delete(id); // re-added at the end: the newest
      next.set(id, now);
      for (const [k, at] of next) if (now - at >= this.#maxAgeMs) next.delete(k);
      while (next.size > this.#maxEntries) next.delete(next.keys().next().value!);
      await writeFileDurable(this.#path, JSON.stringify(Object.fromEntries(next)));
      this.#entries = next;
    });
    this.#writes = run.catch(() => {});
    return run;
  }

  get size(): number {
    return this.#entries.size;
  }
}
