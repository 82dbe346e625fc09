import { describeError, type Clock, type Logger } from "../core/index.js";
import type { StateFiles } from "./state-files.js";

export interface OwedReply {
  text: string;
  /** Clock time it was kept. */
  at: number;
  /** The journal key of the Command it answers, where one does. */
  key?: string;
}

/** A reply older than this is not worth an SMS any more (the operator has asked again, or given up). */
export const OWED_MAX_AGE_MS = 24 * 3_600_000;
const OWED_MAX = 20;
const FILE = "owed-replies.json";

/**
 * Replies that could not be sent after their tries (no coverage, the modem away), kept in the
 * state directory until the link returns, oldest first, at most 20. Written first, then memory.
 */
export class OwedReplies {
  readonly #files: StateFiles;
  #list: OwedReply[];
  #writes: Promise<void> = Promise.resolve();

  private constructor(files: StateFiles, list: OwedReply[]) {
    this.#files = files;
    this.#list = list;
  }

  static async open(files: StateFiles): Promise<OwedReplies> {
    const f = await files.read<OwedReply[]>(FILE).catch(() => undefined);
    return new OwedReplies(
      files,
      Array.isArray(f) ? f.filter((r) => typeof r?.text === "string" && typeof r.at === "number") : [],
    );
  }

  list(): readonly OwedReply[] {
    return this.#list;
  }

  /** Whether the reply to this Command is kept (answered, not yet known to be sent). */
  has(key: string): boolean {
    return this.#list.some((r) => r.key === key);
  }

  /** Keeps it; beyond the cap the oldest is given up (returned, to be reported). */
  add(r: OwedReply): Promise<OwedReply[]> {
    return this.#serial(async () => {
      const next = [...this.#list, r];
      const dropped = next.splice(0, Math.max(0, next.length - OWED_MAX));
      await this.#save(next);
      return dropped;
    });
  }

  remove(r: OwedReply): Promise<void> {
    return this.#serial(() => this.#save(this.#list.filter((x) => x !== r)));
  }

  /** One change at a time, each from the list the one before left (a Command's reply is kept while a flush forgets another). */
  #serial<T>(change: () => Promise<T>): Promise<T> {
    const run = this.#writes.then(change);
    this.#writes = run.then(
      () => {},
      () => {},
    );
    return run;
  }

  async #save(next: OwedReply[]): Promise<void> {
    await this.#files.write(FILE, JSON.stringify(next));
    this.#list = next;
  }
}

export interface ReplyQueueOptions {
  owed: OwedReplies;
  /** Sends one MO Command (with its own tries). */
  reply: (text: string) => Promise<void>;
  event: (type: string, detail: string, extra?: Record<string, unknown>) => void;
  clock: Clock;
  log: Logger;
  /** Kept replies are tried again this often. */
  retryMs?: number | undefined;
}

/**
 * How Command replies leave: kept (durably) first, then sent, and forgotten once sent, so an
 * answer is lost neither to a kill -9 while it is on its way (the next start sends it) nor to a
 * coverage gap: one that fails after its tries stays kept and is tried again every minute and
 * after the next reply that goes through, oldest first. Given up after a day, reported on events.
 */
export class ReplyQueue {
  readonly #o: ReplyQueueOptions;
  /** Kept replies this process is sending now, or has sent but not yet forgotten: a flush leaves them alone. */
  readonly #mine = new Set<OwedReply>();
  #flushing: Promise<void> | undefined;
  #timer: ReturnType<Clock["setTimeout"]> | undefined;

  constructor(o: ReplyQueueOptions) {
    this.#o = o;
  }

  async send(text: string): Promise<void> {
    await (
      await this.prepare(text)
    )();
  }

  /**
   * Keeps the reply now and returns what sends it: a Command's reply is kept before the journal
   * marks it done, so a kill between the two leaves the reply owed, not lost.
   */
  async prepare(text: string, key?: string): Promise<() => Promise<void>> {
    const r: OwedReply = { text, at: this.#o.clock.now(), ...(key !== undefined ? { key } : {}) };
    const kept = await this.#keep(r);
    if (kept) this.#mine.add(r);
    return () => this.#deliver(r, kept);
  }

  /** Whether this Command's reply is kept from before (then it is sent by a flush). */
  owes(key: string): boolean {
    return this.#o.owed.has(key);
  }

  async #deliver(r: OwedReply, kept: boolean): Promise<void> {
    const text = r.text;
    try {
      await this.#o.reply(text);
    } catch (err) {
      this.#mine.delete(r);
      this.#o.log.error({ err: describeError(err) }, "Command reply not sent: kept for when the link is back");
      this.#o.event("command-reply-failed", `reply not sent (${describeError(err)}): kept, sent when the link is back`, {
        reply: text,
      });
      if (!kept) await this.#keep(r);
      this.#retryLater();
      return;
    }
    if (kept) await this.#forget(r);
    if (this.#o.owed.list().length > 0) void this.flush(); // the link works again
  }

  /** Sends the kept replies, oldest first; stops at the first that fails again (the link is still down). */
  flush(): Promise<void> {
    if (this.#o.owed.list().length === 0) return Promise.resolve();
    this.#flushing ??= (async () => {
      for (const r of [...this.#o.owed.list()]) {
        if (this.#mine.has(r)) continue; // on its way in send()
        if (this.#o.clock.now() - r.at > OWED_MAX_AGE_MS) {
          await this.#o.owed.remove(r);
          this.#gaveUp(r, "older than a day");
          continue;
        }
        try {
          await this.#o.reply(r.text);
        } catch {
          this.#retryLater();
          return;
        }
        await this.#o.owed.remove(r);
        this.#o.event("command-reply-sent", "a kept reply was sent now that the link is back", { reply: r.text });
      }
    })()
      .catch((err: unknown) => this.#o.log.error({ err: describeError(err) }, "kept replies not flushed"))
      .finally(() => (this.#flushing = undefined));
    return this.#flushing;
  }

  /** Keeps it durably; false when the state directory cannot take it (it is sent all the same). */
  async #keep(r: OwedReply): Promise<boolean> {
    try {
      for (const gone of await this.#o.owed.add(r)) this.#gaveUp(gone, "too many replies waiting");
      return true;
    } catch (err) {
      this.#o.log.error({ err: describeError(err) }, "the reply could not be kept (state directory)");
      return false;
    }
  }

  /** Sent: forgotten; while that write fails it stays in #mine, so this process does not send it again. */
  async #forget(r: OwedReply): Promise<void> {
    try {
      await this.#o.owed.remove(r);
      this.#mine.delete(r);
    } catch (err) {
      this.#o.log.error({ err: describeError(err) }, "a sent reply could not be forgotten (state directory)");
    }
  }

  #retryLater(): void {
    if (this.#timer !== undefined) return;
    this.#timer = this.#o.clock.setTimeout(() => {
      this.#timer = undefined;
      void this.flush();
    }, this.#o.retryMs ?? 60_000);
  }

  #gaveUp(r: OwedReply, why: string): void {
    this.#o.event("command-reply-dropped", `a kept reply was given up (${why})`, { reply: r.text });
  }
}
