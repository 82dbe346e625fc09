import { describeError, silentLogger, type Clock, type Logger } from "../core/index.js";
import { addressedToCellgate } from "./addressed.js";
import { authenticate, replayWindowMs, windowFor, type CommandPolicy } from "./authenticate.js";
import { Journal, type JournalEntry } from "./journal.js";
import { OwedReplies, ReplyQueue } from "./owed-replies.js";
import { Rejections } from "./rejections.js";
import { stateDirFiles, type StateFiles } from "./state-files.js";
import { echoed, fitReply, type Septets } from "./reply.js";
import type { Admission, Gateway, InboundCommand } from "./types.js";
import { answerVerb } from "./verbs/answer.js";
import { VERBS, type Verb } from "./verbs/names.js";
import { REBOOT_FILE, runReboot } from "./verbs/reboot.js";

export interface ProcessorOptions {
  stateDir: string;
  /** Where the state goes instead of `<stateDir>/commands/` (the simulator's gateways: memory). */
  files?: StateFiles;
  policy: CommandPolicy;
  key: Buffer | undefined;
  /** nak: rejections are answered; publish-only: unsigned cellgate verbs that need a signature are only published to MQTT. */
  unauthenticated: "nak" | "publish-only";
  /** `{verb}` and `{reason}` are replaced. */
  nakTemplate: string;
  naksPerHour: number;
  rebootMinIntervalMs: number;
  gateway: Gateway;
  /** Sends one MO Command (the reply). */
  reply: (text: string) => Promise<void>;
  event: (type: string, detail: string, extra?: Record<string, unknown>) => void;
  /** Publishes an audit event durably (resolves once PUBACKed or fsynced); rejections go here. Default: `event`. */
  audit?: (type: string, detail: string, extra: Record<string, unknown>) => Promise<void>;
  septets: Septets;
  /** The best time there is and how good it is (the daemon's TimeKeeper). */
  referenceTime: () => { ms: number; quality: "synced" | "network" | "unsynced" };
  clock: Clock;
  log?: Logger;
  pingTimeoutMs?: number;
  /** A Command whose journal step could not be written is tried again this much later. */
  retryMs?: number;
  /** Replies kept after a failed send are tried again this often. */
  replyRetryMs?: number;
}

/**
 * Remote diagnostics over Commands. `admit` decides, durably, whether an inbound Command may
 * run (the inbox calls it in its hand-off, before the message is published and deleted);
 * `dispatch` runs what was admitted, or answers the rejection, one at a time, after the
 * hand-off. Each accepted Command is in the journal before it is published, so a crash at any
 * point neither loses it nor runs it twice.
 */
export class CommandProcessor {
  readonly #o: ProcessorOptions;
  readonly #log: Logger;
  readonly #journal: Journal;
  readonly #files: StateFiles;
  #queue: Promise<void> = Promise.resolve();
  readonly #queued = new Set<string>();
  /** What the previous run left unfinished (taken at open, so a Command of this run is never mistaken for one). */
  #leftOver: JournalEntry[];

  readonly #replies: ReplyQueue;
  readonly #rejections: Rejections;

  private constructor(o: ProcessorOptions, files: StateFiles, journal: Journal, owed: OwedReplies) {
    this.#o = o;
    this.#log = (o.log ?? silentLogger).child({ mod: "commands" });
    this.#replies = new ReplyQueue({
      owed,
      reply: o.reply,
      event: o.event,
      clock: o.clock,
      log: this.#log,
      retryMs: o.replyRetryMs,
    });
    this.#journal = journal;
    this.#leftOver = journal.unfinished().map((e) => ({ ...e }));
    this.#files = files;
    this.#rejections = new Rejections({ ...o, log: this.#log, send: (text) => this.#send(text) });
  }

  static async open(o: ProcessorOptions): Promise<CommandProcessor> {
    const files = o.files ?? stateDirFiles(o.stateDir);
    const journal = await Journal.open(files, o.referenceTime().ms, o.log ?? silentLogger);
    const p = new CommandProcessor(o, files, journal, await OwedReplies.open(files));
    await journal.prune(replayWindowMs(o.policy));
    return p;
  }

  /** The verbs this gateway runs. */
  get enabled(): Verb[] {
    return VERBS.filter((v) => !this.#o.policy.disabled.has(v));
  }

  async admit(msg: InboundCommand): Promise<Admission> {
    // Only text addressed to cellgate is a cellgate Command. The rest (a local application's own
    // Commands, binary ones, spam and carrier notices from other numbers) is delivered, unjudged.
    const text = msg.text;
    if (text === undefined || (msg.kind !== "command" && msg.kind !== "foreign") || !addressedToCellgate(text))
      return { msg, auth: "none", decision: null, clock: "unsynced" };
    if (msg.kind === "foreign")
      return this.#rejections.audited({
        msg,
        auth: "rejected",
        decision: {
          accept: false,
          reason: "foreign",
          why: `sender ${msg.sender ?? "unknown"} is not the Command short code`,
          signed: false,
        },
        clock: "unsynced",
      });
    const { ms, clock } = this.#now(msg);
    const j = this.#journal;
    const decision = authenticate({
      text,
      key: this.#o.key,
      policy: this.#o.policy,
      now: ms,
      notBefore: j.notBefore(replayWindowMs(this.#o.policy)),
      // The same message handed off again (the broker did not ack in time) is not a replay.
      seen: (tag) => (j.get(tag)?.msgId ?? msg.id) !== msg.id,
    });
    if (!decision.accept) return this.#rejections.audited({ msg, auth: "rejected", decision, clock });
    const key = decision.tag ?? `id:${msg.id}`;
    if (!j.get(key))
      await j.add({
        key,
        msgId: msg.id,
        verb: decision.verb,
        args: decision.args,
        state: "accepted",
        acceptedAt: ms,
        signedAt: decision.signedAt ?? null,
        ...(decision.rid !== undefined ? { rid: decision.rid } : {}),
      });
    return { msg, auth: decision.auth, decision, clock, key };
  }

  /** After the hand-off: run the admitted Command, or answer and report the rejection. Serialised. */
  dispatch(a: Admission): Promise<void> {
    const d = a.decision;
    if (d === null) return Promise.resolve();
    if (!d.accept) return this.#enqueue(() => this.#rejections.answer(d));
    const entry = a.key !== undefined ? this.#journal.get(a.key) : undefined;
    if (!entry || entry.state !== "accepted" || this.#queued.has(entry.key)) return Promise.resolve();
    this.#queued.add(entry.key);
    return this.#enqueue(() => this.#run(entry, d.auth, a.msg).finally(() => this.#queued.delete(entry.key)));
  }

  /**
   * After a restart: Commands accepted but not started run now (unless older than the window);
   * an acting one that was running when the process died is reported, never run again.
   */
  async resume(): Promise<void> {
    const now = this.#o.referenceTime().ms;
    const leftOver = this.#leftOver.splice(0);
    for (const left of leftOver) {
      const e = this.#journal.get(left.key);
      if (e === undefined || e.state !== left.state) continue; // handed off again and run meanwhile
      if (e.state === "running" && this.#replies.owes(e.key)) {
        await this.#journal.set(e.key, "done", "answered before a restart; the kept reply is sent");
      } else if (e.state === "running") {
        await this.#journal.set(e.key, "done", "interrupted by a restart");
        this.#o.event("command-interrupted", `${e.verb} was interrupted by a restart and is not run again`, { verb: e.verb });
        await this.#send(
          echoed(e.rid, (max) => fitReply(`${e.verb} interrupted by a restart; not run again`, [], this.#o.septets, max)),
        );
      } else if (now - e.acceptedAt > windowFor(this.#o.policy, e.verb)) {
        await this.#journal.set(e.key, "done", "expired before it ran");
        this.#o.event("command-rejected", `${e.verb} expired before it could run (the gateway was down)`, {
          verb: e.verb,
          reason: "expired",
        });
      } else if (!this.#queued.has(e.key)) {
        this.#queued.add(e.key);
        void this.#enqueue(() =>
          this.#run(e, e.signedAt !== null ? "verified" : "unsigned", null).finally(() => this.#queued.delete(e.key)),
        );
      }
    }
    await this.idle();
    void this.flushReplies(); // what was kept before the restart
  }

  /** A reboot this gateway ran on request, not yet reported (read once, at start, for the "back online" reason). */
  async takeRebootMarker(): Promise<{ at: number; verb: string } | null> {
    const m = await this.#files.read<{ at: number; pending: boolean }>(REBOOT_FILE).catch(() => undefined);
    if (!m?.pending) return null;
    await this.#files.write(REBOOT_FILE, JSON.stringify({ ...m, pending: false }));
    return { at: m.at, verb: "reboot" };
  }

  /** Resolves when nothing is queued or running. */
  async idle(): Promise<void> {
    let q: Promise<void>;
    do {
      q = this.#queue;
      await q;
    } while (q !== this.#queue);
  }

  #enqueue(job: () => Promise<void>): Promise<void> {
    const next = this.#queue
      .then(job)
      .catch((err: unknown) => this.#log.error({ err: describeError(err) }, "Command processing failed"));
    this.#queue = next;
    return next;
  }

  #now(msg: InboundCommand): { ms: number; clock: Admission["clock"] } {
    const r = this.#o.referenceTime();
    if (r.quality !== "unsynced") return { ms: r.ms, clock: r.quality };
    // No NTP and no network time from the modem: the service centre's stamp is the network's clock.
    const scts = msg.timestamp ? Date.parse(msg.timestamp) : NaN;
    return Number.isNaN(scts) ? { ms: r.ms, clock: "unsynced" } : { ms: scts, clock: "scts" };
  }

  async #run(e: JournalEntry, auth: "verified" | "unsigned", msg: InboundCommand | null): Promise<void> {
    const started = this.#o.clock.now();
    let text: string;
    if (e.verb === "reboot") return this.#reboot(e, auth, msg);
    // Every verb is marked running before it runs: when that cannot be written nothing runs (it is
    // tried again), and a Command that was running when the process died is reported, never rerun.
    if (!(await this.#mark(e.key, "running"))) return this.#later(e, auth, msg);
    try {
      text = await this.#answer(e);
    } catch (err) {
      text = echoed(e.rid, (max) =>
        fitReply(`${e.verb} error`, [{ text: describeError(err), shorten: true }], this.#o.septets, max),
      );
    }
    // Kept, then done, then sent: a crash never runs the Command twice, and its reply is kept
    // before the journal says done, so the next start sends it.
    const deliver = await this.#replies.prepare(text, e.key);
    await this.#mark(e.key, "done", text);
    await this.#journal.prune(replayWindowMs(this.#o.policy)).catch(() => {}); // retried after the next Command
    this.#o.event("command-run", `${e.verb} run (${auth}) in ${this.#o.clock.now() - started} ms`, {
      verb: e.verb,
      args: e.args,
      auth,
      id: msg?.id ?? e.msgId,
      reply: text,
    });
    await deliver();
  }

  /** The reply to an accepted Command other than reboot (verbs/answer.ts). */
  #answer(e: JournalEntry): Promise<string> {
    return answerVerb(e, {
      gateway: this.#o.gateway,
      septets: this.#o.septets,
      enabled: this.enabled,
      unsigned: this.#o.policy.unsigned,
      pingTimeoutMs: this.#o.pingTimeoutMs ?? 10_000,
    });
  }

  async #reboot(e: JournalEntry, auth: "verified" | "unsigned", msg: InboundCommand | null): Promise<void> {
    const ran = await runReboot({
      rid: e.rid,
      key: e.key,
      msgId: e.msgId,
      auth,
      now: this.#o.referenceTime().ms,
      minIntervalMs: this.#o.rebootMinIntervalMs,
      septets: this.#o.septets,
      files: this.#files,
      markDone: (outcome) => this.#mark(e.key, "done", outcome),
      event: this.#o.event,
      send: (text) => this.#send(text),
      reboot: () => this.#o.gateway.reboot(),
    });
    if (!ran) this.#later(e, auth, msg);
  }

  /** A journal step, written durably; false (logged) when the state directory cannot be written. */
  async #mark(key: string, state: "running" | "done", outcome?: string): Promise<boolean> {
    try {
      await this.#journal.set(key, state, outcome);
      return true;
    } catch (err) {
      this.#log.error({ key, state, err: describeError(err) }, "the Command journal cannot be written");
      return false;
    }
  }

  /** Nothing ran: the journal has the Command as accepted; it runs once the journal can be written (or after a restart). */
  #later(e: JournalEntry, auth: "verified" | "unsigned", msg: InboundCommand | null): void {
    this.#o.clock.setTimeout(() => {
      if (this.#queued.has(e.key)) return;
      this.#queued.add(e.key);
      void this.#enqueue(() => this.#run(e, auth, msg).finally(() => this.#queued.delete(e.key)));
    }, this.#o.retryMs ?? 30_000);
  }

  #send(text: string): Promise<void> {
    return this.#replies.send(text);
  }

  /** Sends the replies kept from failed sends (the daemon: when the modem is back; also on a timer). */
  flushReplies(): Promise<void> {
    return this.#replies.flush();
  }
}
