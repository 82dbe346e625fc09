import { join } from "node:path";
import { AppendLog, readJsonFile, writeFileDurable } from "../core/index.js";

export interface SeenSetOptions {
  dir: string;
  /** Entries older than this are forgotten (Twilio keeps Commands 30 days). */
  maxAgeMs?: number;
  /** At most this many entries; the oldest go first. */
  maxEntries?: number;
}

const DAY = 24 * 60 * 60 * 1000;

/** One id handed off, as a line of seen.log. */
type Line = [id: string, at: number];

/**
 * Ids of messages already handed off, persisted (fsync) so a Command is delivered at most
 * once across restarts and network re-deliveries; bounded in size and age.
 *
 * On disk: seen.json (a snapshot, id → time) and seen.log (one line per id added since). An add
 * appends one short line and fsyncs it — not the whole set: at its cap of 10,000 ids that was a
 * 0.5 MB file, a copy of the map and two fsyncs per SMS, tens of ms and megabytes of garbage on a
 * Pi. When the log holds as many lines as the set may hold ids, the set is written as the new
 * snapshot and the log emptied; a crash between the two replays ids the snapshot already has.
 */
export class SeenSet {
  readonly #snapshot: string;
  readonly #log: AppendLog<Line>;
  readonly #maxAgeMs: number;
  readonly #maxEntries: number;
  /** Oldest first: an id added again moves to the end. */
  #entries = new Map<string, number>();
  #logged = 0;
  #writes: Promise<void> = Promise.resolve();

  private constructor(o: SeenSetOptions) {
    this.#snapshot = join(o.dir, "seen.json");
    this.#log = new AppendLog(join(o.dir, "seen.log"), "seen-set");
    this.#maxAgeMs = o.maxAgeMs ?? 30 * DAY;
    this.#maxEntries = o.maxEntries ?? 10_000;
  }

  static async open(o: SeenSetOptions): Promise<SeenSet> {
    const s = new SeenSet(o);
    const stored = await readJsonFile<Record<string, number>>(s.#snapshot);
    s.#entries = new Map(Object.entries(stored ?? {}));
    const lines = await s.#log.read(); // a torn last line: an add that did not complete
    for (const [id, at] of lines) if (typeof id === "string" && typeof at === "number") s.#remember(s.#entries, id, at);
    s.#logged = lines.length;
    return s;
  }

  has(id: string, now: number): boolean {
    const at = this.#entries.get(id);
    return at !== undefined && now - at < this.#maxAgeMs;
  }

  /** Written first: if the write fails the set is as the disk has it, and the caller keeps the SMS to try again. */
  add(id: string, now: number): Promise<void> {
    // One at a time: a snapshot built while another add was appending would leave out its id.
    const run = this.#writes.then(() => this.#add(id, now));
    this.#writes = run.catch(() => {});
    return run;
  }

  async #add(id: string, now: number): Promise<void> {
    if (this.#logged < this.#maxEntries) {
      await this.#log.append([[id, now]], true);
      this.#logged++;
      this.#remember(this.#entries, id, now);
      this.#forget(this.#entries, now);
      return;
    }
    const next = new Map(this.#entries);
    this.#remember(next, id, now);
    this.#forget(next, now);
    await writeFileDurable(this.#snapshot, JSON.stringify(Object.fromEntries(next)));
    this.#entries = next;
    await this.#log.rewrite([]); // if this fails, the next open replays ids the snapshot has: no harm
    this.#logged = 0;
  }

  get size(): number {
    return this.#entries.size;
  }

  #remember(entries: Map<string, number>, id: string, at: number): void {
    entries.delete(id); // re-added at the end: the newest
    entries.set(id, at);
    while (entries.size > this.#maxEntries) entries.delete(entries.keys().next().value!);
  }

  /**
   * The expired ids, from the oldest until the first that is not: ids are added in time order,
   * so that is all of them (after the clock stepped back, one may stay a little longer: kept
   * longer, never forgotten early).
   */
  #forget(entries: Map<string, number>, now: number): void {
    for (const [id, at] of entries) {
      if (now - at < this.#maxAgeMs) break;
      entries.delete(id);
    }
  }
}
