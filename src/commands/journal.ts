import { isCellgateError, type Logger } from "../core/index.js";
import type { StateFiles } from "./state-files.js";
import type { Verb } from "./verbs/names.js";

export type JobState = "accepted" | "running" | "done";

export interface JournalEntry {
  /** The tag of a signed Command, else `id:` + the message id. */
  key: string;
  /** The inbound message (a re-delivered hand-off of the same message is not a replay). */
  msgId: string;
  verb: Verb;
  args: string[];
  state: JobState;
  acceptedAt: number;
  signedAt: number | null;
  /** The request id the reply echoes (signed Commands from the operator's tool). */
  rid?: string;
  outcome?: string;
}

interface JournalFile {
  newestSignedAt: number | null;
  /** Set when the journal was lost: signed Commands from before it cannot be told from replays. */
  lostAt: number | null;
  /**
   * Every tag signed at or after this is in `entries`; a Command signed before it is refused
   * (expired) whatever any clock says. It only moves forward, and only by the signing times of
   * Commands already accepted, never by a clock.
   */
  forgetBefore: number | null;
  entries: JournalEntry[];
}

const FILE = "journal.json";

/** Finished unsigned entries kept (their message ids; the inbox's seen-set is what stops re-deliveries). */
const UNSIGNED_KEPT = 200;

/**
 * Every Command accepted, with how far it got (accepted → running → done), fsynced at each
 * step. It is the replay guard's memory (tags seen) and what makes a Command run at most once:
 * a verb is marked running before it acts, and a restart never runs it again. Memory changes
 * only after the file was written: a failed write leaves the journal as the disk has it.
 */
export class Journal {
  readonly #files: StateFiles;
  #file: JournalFile;
  /** The changes, one at a time (see #update). */
  #writes: Promise<void> = Promise.resolve();

  private constructor(files: StateFiles, file: JournalFile) {
    this.#files = files;
    this.#file = file;
  }

  static async open(files: StateFiles, now: number, log: Logger): Promise<Journal> {
    try {
      const f = await files.read<Partial<JournalFile>>(FILE);
      if (!f || !Array.isArray(f.entries))
        return new Journal(files, { newestSignedAt: null, lostAt: null, forgetBefore: null, entries: [] });
      // A journal from before the high-water rule was pruned by a clock: keep nothing older than its newest tag.
      const forgetBefore = f.forgetBefore !== undefined ? f.forgetBefore : (f.newestSignedAt ?? null);
      return new Journal(files, {
        newestSignedAt: f.newestSignedAt ?? null,
        lostAt: f.lostAt ?? null,
        forgetBefore,
        entries: f.entries,
      });
    } catch (err) {
      if (!isCellgateError(err, "CG_ERR_STATE_IO")) throw err;
      log.error(
        { err: err.message },
        "the Command journal was unreadable (moved aside); signed Commands from before now are refused",
      );
      const j = new Journal(files, { newestSignedAt: null, lostAt: null, forgetBefore: null, entries: [] });
      await j.#save({ ...j.#file, lostAt: now }); // at once: a restart before the next Command must not forget the loss
      return j;
    }
  }

  get(key: string): JournalEntry | undefined {
    return this.#file.entries.find((e) => e.key === key);
  }

  get newestSignedAt(): number | null {
    return this.#file.newestSignedAt;
  }

  /**
   * Signed earlier than this is refused whatever the reference clock says: a whole window
   * before the newest Command accepted, what the journal has forgotten, and the time a lost
   * journal was noticed (the tags went with it). `windowMs` is the longest window any verb has.
   */
  notBefore(windowMs: number): number | null {
    const f = this.#file;
    const n = Math.max(f.lostAt ?? -Infinity, f.forgetBefore ?? -Infinity, (f.newestSignedAt ?? -Infinity) - windowMs);
    return Number.isFinite(n) ? n : null;
  }

  /** Not done: to be resumed (accepted) or reported interrupted (running) after a restart. */
  unfinished(): JournalEntry[] {
    return this.#file.entries.filter((e) => e.state !== "done");
  }

  add(e: JournalEntry): Promise<void> {
    return this.#update((f) => {
      const newest = e.signedAt === null ? f.newestSignedAt : Math.max(f.newestSignedAt ?? -Infinity, e.signedAt);
      return { ...f, newestSignedAt: newest, entries: [...f.entries, e] };
    });
  }

  set(key: string, state: JobState, outcome?: string): Promise<void> {
    return this.#update((f) => {
      if (!f.entries.some((e) => e.key === key)) return undefined;
      const entries = f.entries.map((e) => (e.key === key ? { ...e, state, ...(outcome !== undefined ? { outcome } : {}) } : e));
      return { ...f, entries };
    });
  }

  /**
   * Forgets finished signed entries only where `notBefore` refuses their tags anyway: signed
   * more than `windowMs` before the newest accepted. No clock is read, so no clock can make it
   * forget a tag that could still be accepted. Beyond `max` signed entries the mark moves up
   * past the oldest (refusing them as expired) rather than forgetting a tag still in the window.
   */
  prune(windowMs: number, max = 2000): Promise<void> {
    return this.#update((f) => {
      let mark = this.notBefore(windowMs) ?? -Infinity;
      const signed = f.entries.filter((e) => e.state === "done" && e.signedAt !== null && e.signedAt >= mark);
      if (signed.length > max) {
        const times = signed.map((e) => e.signedAt!).sort((a, b) => a - b);
        mark = times[signed.length - max - 1]! + 1;
      }
      const unsignedDone = f.entries.filter((e) => e.state === "done" && e.signedAt === null);
      const dropUnsigned = new Set(unsignedDone.slice(0, Math.max(0, unsignedDone.length - UNSIGNED_KEPT)));
      const entries = f.entries.filter(
        (e) => e.state !== "done" || (e.signedAt === null ? !dropUnsigned.has(e) : e.signedAt >= mark),
      );
      if (entries.length === f.entries.length) return undefined;
      return { ...f, forgetBefore: Number.isFinite(mark) ? mark : f.forgetBefore, entries };
    });
  }

  /**
   * One change at a time, each computed from what the one before it left: the inbox adds while
   * the processor marks and prunes, and a change computed from a state another was still writing
   * would undo that one (an added Command gone: handed off and never run, its tag forgotten).
   * `change` returns nothing when there is nothing to write.
   */
  #update(change: (f: JournalFile) => JournalFile | undefined): Promise<void> {
    const run = this.#writes.then(async () => {
      const next = change(this.#file);
      if (next !== undefined) await this.#save(next);
    });
    this.#writes = run.catch(() => {}); // a failed write fails its caller, not the next change
    return run;
  }

  async #save(next: JournalFile): Promise<void> {
    await this.#files.write(FILE, JSON.stringify(next));
    this.#file = next;
  }
}
