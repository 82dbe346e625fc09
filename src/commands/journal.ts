import { join } from "node:path";
import { isCellgateError, readJsonFile, writeFileDurable, type Logger } from "../core/index.js";
import type { Verb } from "./verbs.js";

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
  outcome?: string;
}

interface JournalFile {
  newestSignedAt: number | null;
  /** Set when the journal was lost: signed Commands from before it cannot be told from replays. */
  lostAt: number | null;
  entries: JournalEntry[];
}

/**
 * Every Command accepted, with how far it got (accepted → running → done), fsynced at each
 * step. It is the replay guard's memory (tags seen) and what makes a Command run at most once:
 * an acting verb is marked running (reboot: done) before it acts, and a restart never runs
 * it again.
 */
export class Journal {
  readonly #path: string;
  #file: JournalFile;

  private constructor(path: string, file: JournalFile) {
    this.#path = path;
    this.#file = file;
  }

  static async open(stateDir: string, now: number, log: Logger): Promise<Journal> {
    const path = join(stateDir, "commands", "journal.json");
    try {
      const f = await readJsonFile<JournalFile>(path);
      return new Journal(path, f && Array.isArray(f.entries) ? f : { newestSignedAt: null, lostAt: null, entries: [] });
    } catch (err) {
      if (!isCellgateError(err, "CG_ERR_STATE_IO")) throw err;
      log.error(
        { err: err.message },
        "the Command journal was unreadable (moved aside); signed Commands from before now are refused",
      );
      const j = new Journal(path, { newestSignedAt: null, lostAt: now, entries: [] });
      await j.#save(); // at once: a restart before the next Command must not forget the loss
      return j;
    }
  }

  get(key: string): JournalEntry | undefined {
    return this.#file.entries.find((e) => e.key === key);
  }

  get newestSignedAt(): number | null {
    return this.#file.newestSignedAt;
  }

  get lostAt(): number | null {
    return this.#file.lostAt;
  }

  /** Not done: to be resumed (accepted) or reported interrupted (running) after a restart. */
  unfinished(): JournalEntry[] {
    return this.#file.entries.filter((e) => e.state !== "done");
  }

  async add(e: JournalEntry): Promise<void> {
    this.#file.entries.push(e);
    if (e.signedAt !== null) this.#file.newestSignedAt = Math.max(this.#file.newestSignedAt ?? 0, e.signedAt);
    await this.#save();
  }

  async set(key: string, state: JobState, outcome?: string): Promise<void> {
    const e = this.get(key);
    if (!e) return;
    e.state = state;
    if (outcome !== undefined) e.outcome = outcome;
    await this.#save();
  }

  /** Finished entries older than `keepMs` go (a tag that old is refused as expired anyway); at most `max` stay. */
  async prune(now: number, keepMs: number, max = 2000): Promise<void> {
    const before = this.#file.entries.length;
    this.#file.entries = this.#file.entries.filter(
      (e) => e.state !== "done" || now - Math.max(e.acceptedAt, e.signedAt ?? 0) < keepMs,
    );
    if (this.#file.entries.length > max) this.#file.entries.splice(0, this.#file.entries.length - max);
    if (this.#file.entries.length !== before) await this.#save();
  }

  async #save(): Promise<void> {
    await writeFileDurable(this.#path, JSON.stringify(this.#file));
  }
}
