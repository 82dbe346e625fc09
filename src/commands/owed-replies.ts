import { describeError, type Clock, type Logger } from "../core/index.js";
import type { StateFiles } from "./state-files.js";

export interface OwedReply {
  text: string;
  /** Clock time the send first failed. */
  at: number;
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

  /** Keeps it; beyond the cap the oldest is given up (returned, to be reported). */
  async add(r: OwedReply): Promise<OwedReply[]> {
    const next = [...this.#list, r];
    const dropped = next.splice(0, Math.max(0, next.length - OWED_MAX));
    await this.#save(next);
    return dropped;
  }

  async remove(r: OwedReply): Promise<void> {
    await this.#save(this.#list.filter((x) => x !== r));
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
 * How Command replies leave: sent at once; one that fails after its tries is kept (durably) and
 * tried again every minute and after the next reply that goes through, oldest first, so an
 * answer is not lost to a coverage gap. Given up after a day, reported on events.
 */
export class ReplyQueue {
  readonly #o: ReplyQueueOptions;
  #flushing: Promise<void> | undefined;
  #timer: ReturnType<Clock["setTimeout"]> | undefined;

  constructor(o: ReplyQueueOptions) {
    this.#o = o;
  }

  async send(text: string): Promise<void> {
    try {
      await this.#o.reply(text);
    } catch (err) {
      this.#o.log.error({ err: describeError(err) }, "Command reply not sent: kept for when the link is back");
      this.#o.event("command-reply-failed", `reply not sent (${describeError(err)}): kept, sent when the link is back`, {
        reply: text,
      });
      await this.#keep({ text, at: this.#o.clock.now() });
      return;
    }
    if (this.#o.owed.list().length > 0) void this.flush(); // the link works again
  }

  /** Sends the kept replies, oldest first; stops at the first that fails again (the link is still down). */
  flush(): Promise<void> {
    if (this.#o.owed.list().length === 0) return Promise.resolve();
    this.#flushing ??= (async () => {
      for (const r of [...this.#o.owed.list()]) {
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

  async #keep(r: OwedReply): Promise<void> {
    try {
      for (const gone of await this.#o.owed.add(r)) this.#gaveUp(gone, "too many replies waiting");
    } catch (err) {
      this.#o.log.error({ err: describeError(err) }, "the reply could not be kept either (state directory)");
    }
    this.#retryLater();
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
