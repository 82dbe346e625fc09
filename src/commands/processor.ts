import { join } from "node:path";
import { describeError, readJsonFile, silentLogger, writeFileDurable, type Clock, type Logger } from "../core/index.js";
import { addressedToCellgate } from "./addressed.js";
import { authenticate, replayWindowMs, type CommandPolicy, type Decision, type RejectReason } from "./authenticate.js";
import { Journal, type JournalEntry } from "./journal.js";
import { OwedReplies, ReplyQueue } from "./owed-replies.js";
import { tcpPing } from "./ping.js";
import { fitReply, duration, type Septets } from "./reply.js";
import { healthReply, helpReply, mqttReply, netReply, signalReply, simReply, statusReply, versionReply } from "./replies.js";
import type { Gateway, GatewayView } from "./types.js";
import { VERBS, type Verb } from "./verbs.js";

/** An inbound SMS as the inbox hands it off (the fields commands/ reads). */
export interface InboundCommand {
  id: string;
  kind: "command" | "foreign" | "undecodable" | "status-report";
  sender: string | null;
  text?: string;
  dataBase64?: string;
  sid?: string;
  /** The service centre time stamp, ISO with offset. */
  timestamp: string | null;
}

/** What `commands/received` says of the text's authentication; none: not addressed to cellgate (delivered as it is). */
export type AuthResult = "verified" | "unsigned" | "rejected" | "none";

export interface Admission {
  msg: InboundCommand;
  auth: AuthResult;
  decision: Decision | null;
  /** Which time the window was checked against. */
  clock: "synced" | "network" | "scts" | "unsynced";
  /** The journal key of an accepted Command. */
  key?: string;
}

export interface ProcessorOptions {
  stateDir: string;
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

const HOUR = 3_600_000;

/** The verbs that only read: a fresh view, one reply. */
const VIEW_REPLIES: Partial<Record<Verb, (v: GatewayView, s: Septets) => string>> = {
  status: statusReply,
  health: healthReply,
  signal: signalReply,
  net: netReply,
  sim: simReply,
  mqtt: mqttReply,
  version: versionReply,
};

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
  readonly #rebootFile: string;
  #queue: Promise<void> = Promise.resolve();
  readonly #queued = new Set<string>();
  #naks: number[] = [];
  /** What the previous run left unfinished (taken at open, so a Command of this run is never mistaken for one). */
  #leftOver: JournalEntry[];

  readonly #replies: ReplyQueue;

  private constructor(o: ProcessorOptions, journal: Journal, owed: OwedReplies) {
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
    this.#rebootFile = join(o.stateDir, "commands", "reboot.json");
  }

  static async open(o: ProcessorOptions): Promise<CommandProcessor> {
    const journal = await Journal.open(o.stateDir, o.referenceTime().ms, o.log ?? silentLogger);
    const p = new CommandProcessor(o, journal, await OwedReplies.open(o.stateDir));
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
      return this.#audited({
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
    if (!decision.accept) return this.#audited({ msg, auth: "rejected", decision, clock });
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
      });
    return { msg, auth: decision.auth, decision, clock, key };
  }

  /** After the hand-off: run the admitted Command, or answer and report the rejection. Serialised. */
  dispatch(a: Admission): Promise<void> {
    const d = a.decision;
    if (d === null) return Promise.resolve();
    if (!d.accept) return this.#enqueue(() => this.#reject(a, d));
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
        await this.#send(fitReply(`${e.verb} interrupted by a restart; not run again`, [], this.#o.septets));
      } else if (now - e.acceptedAt > this.#o.policy.maxAgeMs) {
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
    const m = await readJsonFile<{ at: number; pending: boolean }>(this.#rebootFile).catch(() => undefined);
    if (!m?.pending) return null;
    await writeFileDurable(this.#rebootFile, JSON.stringify({ ...m, pending: false }));
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

  /**
   * A rejection is on `events` before the hand-off completes (so before the SMS is deleted): the
   * audit event is durable like `commands/received` (PUBACK, or fsynced in the outbox). When it
   * cannot be, the admission fails and the inbox keeps the SMS.
   */
  async #audited(a: Admission): Promise<Admission> {
    const d = a.decision;
    if (d === null || d.accept) return a;
    const verb = rejectedVerb(d);
    const extra = {
      reason: d.reason,
      verb,
      sender: a.msg.sender,
      id: a.msg.id,
      sid: a.msg.sid ?? null,
      signed: d.signed,
      clock: a.clock,
    };
    const detail = `${verb} rejected (${d.reason}): ${d.why}`;
    if (this.#o.audit) await this.#o.audit("command-rejected", detail, extra);
    else this.#o.event("command-rejected", detail, extra);
    return a;
  }

  async #reject(_a: Admission, d: Extract<Decision, { accept: false }>): Promise<void> {
    const verb = rejectedVerb(d);
    // A NAK is an MO SMS to 2936 / 000: for a foreign sender it would reach nobody who sent it, and cost one.
    if (d.reason === "foreign") return;
    // A signed Command was meant for cellgate: its sender hears why. An unsigned verb is answered unless publish-only.
    if (!d.signed && this.#o.unauthenticated === "publish-only") return;
    await this.#nak(verb, d.reason);
  }

  async #nak(verb: string, reason: RejectReason): Promise<void> {
    const now = this.#o.clock.now();
    this.#naks = this.#naks.filter((t) => now - t < HOUR);
    if (this.#naks.length >= this.#o.naksPerHour) {
      this.#log.warn({ verb, reason }, "NAK not sent: the hourly limit is reached");
      return;
    }
    this.#naks.push(now);
    const text = this.#o.nakTemplate.replaceAll("{verb}", verb.slice(0, 20)).replaceAll("{reason}", reason);
    await this.#send(fitReply(text, [], this.#o.septets));
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
      text = fitReply(`${e.verb} error`, [{ text: describeError(err), shorten: true }], this.#o.septets);
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

  async #answer(e: JournalEntry): Promise<string> {
    const s = this.#o.septets;
    const g = this.#o.gateway;
    const fromView = VIEW_REPLIES[e.verb];
    if (fromView) return fromView(g.view(), s);
    switch (e.verb) {
      case "help":
        return helpReply(this.enabled, this.#o.policy.unsigned, s);
      case "ping": {
        const [host = "", port = "443"] = e.args;
        const r = await tcpPing(host, Number(port), this.#o.pingTimeoutMs ?? 10_000);
        return fitReply(
          `ping ${r.ok ? "ok" : "fail"}`,
          [
            { text: `${host}:${port}`, shorten: true },
            r.dnsMs !== null ? `dns=${r.dnsMs}ms` : null,
            r.tcpMs !== null ? `tcp=${r.tcpMs}ms` : null,
            r.error ? { text: `err=${r.error}`, shorten: true } : null,
            r.address && r.address !== host ? `addr=${r.address}` : null,
          ],
          s,
        );
      }
      case "modem-reset": {
        const r = await g.resetModem("requested by a Command");
        const after = r.ok ? await g.refresh().catch(() => null) : null;
        return fitReply(
          `modem-reset ${r.ok ? "ok" : "failed"}`,
          [
            `took=${duration(r.tookMs / 1000)}`,
            after ? `reg=${after.registration?.state ?? "?"}` : null,
            after?.signal?.rsrpDbm != null ? `rsrp=${after.signal.rsrpDbm}` : null,
            { text: r.detail, shorten: true },
          ],
          s,
        );
      }
      default:
        throw new Error(`${e.verb} is not answered here`);
    }
  }

  /** The Command is marked done (and the reboot recorded) before the host command runs: after the reboot nothing runs it again. */
  async #reboot(e: JournalEntry, auth: "verified" | "unsigned", msg: InboundCommand | null): Promise<void> {
    const s = this.#o.septets;
    const now = this.#o.referenceTime().ms;
    const last = await readJsonFile<{ at: number }>(this.#rebootFile).catch(() => undefined);
    if (last && now - last.at < this.#o.rebootMinIntervalMs && now >= last.at) {
      const text = fitReply(
        "reboot refused",
        [`last=${duration((now - last.at) / 1000)}_ago`, `min=${duration(this.#o.rebootMinIntervalMs / 1000)}`],
        s,
      );
      await this.#journal.set(e.key, "done", text);
      this.#o.event("command-rejected", `reboot refused: the last one was ${duration((now - last.at) / 1000)} ago`, {
        verb: "reboot",
        reason: "rate-limit",
      });
      return this.#send(text);
    }
    if (!(await this.#mark(e.key, "done", "rebooting"))) return this.#later(e, auth, msg);
    await writeFileDurable(this.#rebootFile, JSON.stringify({ at: now, pending: true, key: e.key }));
    this.#o.event("command-run", `reboot run (${auth}): the host reboots now`, { verb: "reboot", auth, id: e.msgId });
    await this.#send(fitReply("reboot ok", ["rebooting now; back-online follows"], s));
    try {
      await this.#o.gateway.reboot();
    } catch (err) {
      await writeFileDurable(
        this.#rebootFile,
        JSON.stringify({ at: now, pending: false, key: e.key, failed: describeError(err) }),
      );
      this.#o.event("command-failed", `reboot failed: ${describeError(err)}`, { verb: "reboot" });
      await this.#send(fitReply("reboot failed", [{ text: describeError(err), shorten: true }], s));
    }
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

function rejectedVerb(d: Extract<Decision, { accept: false }>): string {
  return d.verb ?? (d.reason === "foreign" ? "sms" : "?");
}
