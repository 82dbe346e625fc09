import { randomInt } from "node:crypto";
import type { Command } from "../api/index.js";
import { signText, type Septets } from "../commands/index.js";
import { describeError, isCellgateError, silentLogger, systemClock, type Clock, type Logger } from "../core/index.js";
import type { Feed } from "./feed.js";
import type { FleetApi, Target } from "./fleet-api.js";
import { gatewayKey, type KeySource } from "./keys.js";
import { ReplyPoller } from "./poll.js";
import { counts, FINAL, newRow, ReplyMatcher, type Counts, type Row } from "./rows.js";

export interface AskOptions {
  api: FleetApi;
  targets: readonly Target[];
  /** `VERB [ARGS]`. */
  command: string;
  keys: KeySource;
  /** How long each gateway has to answer, from when its Command was created. */
  timeoutMs: number;
  /** Commands created at once (the account's concurrency limit bounds every request besides). */
  workers: number;
  septets: Septets;
  /** Replies by callback, through `remote serve`; else (and at the end, to catch what a callback lost) by polling. */
  feed?: Feed;
  /** First poll interval; doubled half again after each round that found nothing, up to `maxPollMs`. */
  pollMs?: number;
  maxPollMs?: number;
  clock?: Clock;
  log?: Logger;
  /** Called when a row changes (progress line, --json lines). */
  onChange?: (row: Row, c: Counts) => void;
}

export interface AskResult {
  rows: Row[];
  /** The API failed while replies were being read (they may be there, unread). */
  apiFailed: boolean;
}

const RID_CHARS = "0123456789abcdefghijklmnopqrstuvwxyz";

/**
 * Asks every target: signs the Command with that gateway's key and a request id, creates it,
 * and collects the replies until each gateway answered or its time ran out. Every Command is
 * created once: after a 5xx or a reset on create (it may exist all the same) the SIM's recent
 * Commands are read first, and only if it is not there is it created again, with the same signed
 * text (a gateway given both refuses the second as a replay).
 */
export class FleetAsk {
  readonly #o: AskOptions;
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly rows: Row[];
  readonly #byCommand = new Map<string, Row>();
  readonly #matcher: ReplyMatcher;
  #since: number | null = null;
  #sending = true;
  #apiFailed = false;
  #wake: (() => void) | undefined;

  constructor(o: AskOptions) {
    this.#o = o;
    this.#clock = o.clock ?? systemClock;
    this.#log = (o.log ?? silentLogger).child({ mod: "remote" });
    const rids = new Map<string, Set<string>>();
    this.rows = o.targets.map((t) => newRow(t, o.command, uniqueRid(rids, t.sid)));
    this.#matcher = new ReplyMatcher(this.rows);
  }

  async run(): Promise<AskResult> {
    const collecting = this.#collect();
    await this.#sendAll();
    this.#sending = false;
    this.#wake?.();
    await collecting;
    return { rows: this.rows, apiFailed: this.#apiFailed };
  }

  async #sendAll(): Promise<void> {
    let next = 0;
    const worker = async () => {
      while (next < this.rows.length) await this.#send(this.rows[next++]!);
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(this.#o.workers, this.rows.length)) }, worker));
  }

  async #send(row: Row): Promise<void> {
    let signed: string;
    try {
      signed = signText(gatewayKey(this.#o.keys, toTarget(row)), row.command, this.#clock.now(), this.#o.septets, row.rid);
    } catch (err) {
      return this.#change(row, { state: "failed", detail: describeError(err) });
    }
    try {
      const cmd = await this.#createOnce(row, signed);
      const created = Date.parse(cmd.dateCreated ?? "");
      // The API's clock: replies are read from the first Command's creation on, whatever ours says.
      const since = (Number.isNaN(created) ? this.#clock.now() : created) - 2000;
      this.#since = this.#since === null ? since : Math.min(this.#since, since);
      this.#byCommand.set(cmd.sid, row);
      this.#change(row, { state: "sent", commandSid: cmd.sid, delivery: cmd.status, sentAt: this.#clock.now() });
    } catch (err) {
      this.#change(row, failure(err));
    }
  }

  /** Creates the Command once: a create that may have happened is looked up before it is made again. */
  async #createOnce(row: Row, signed: string): Promise<Command> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.#o.api.create(row.sim, signed, await this.#callbackUrl());
      } catch (err) {
        if (!(isCellgateError(err, "CG_ERR_API_UNAVAILABLE") && err.detail.maybeDone === true) || attempt >= 2) throw err;
        const tag = signed.slice(-22);
        const found = await this.#lookup(row.sim, tag);
        if (found !== undefined) {
          this.#log.warn({ sim: row.sim, sid: found.sid }, "the create failed, but the Command exists: not created again");
          return found;
        }
        this.#log.warn({ sim: row.sim, err: describeError(err) }, "the create failed and no Command exists: creating it again");
      }
    }
  }

  async #lookup(sim: string, tag: string): Promise<Command | undefined> {
    for await (const c of this.#o.api.list("to_sim", { sim }, { limit: 20, pageSize: 20 }))
      if (c.command?.includes(tag)) return c;
    return undefined;
  }

  #publicUrl: Promise<string> | undefined;
  async #callbackUrl(): Promise<string | undefined> {
    if (!this.#o.feed) return undefined;
    this.#publicUrl ??= this.#o.feed.publicUrl().then((u) => `${u}/callbacks/command`);
    return this.#publicUrl;
  }

  /** Collects replies until every row is final; a last poll catches what arrived at the end or a callback lost. */
  async #collect(): Promise<void> {
    let poller: ReplyPoller | undefined;
    let interval = this.#o.pollMs ?? 2000;
    let after = 0;
    while (this.#sending || this.rows.some((r) => !FINAL.has(r.state))) {
      this.#expire();
      if (!this.#sending && this.rows.every((r) => FINAL.has(r.state))) break;
      if (this.#since === null) {
        await this.#pause(50);
        continue;
      }
      if (this.#o.feed) {
        after = await this.#feedRound(after);
        continue;
      }
      poller ??= new ReplyPoller(
        this.#o.api,
        this.rows.map((r) => r.sim),
        this.#since,
      );
      const found = await this.#pollRound(poller);
      interval = found > 0 || this.#sending ? (this.#o.pollMs ?? 2000) : Math.min(this.#o.maxPollMs ?? 30_000, interval * 1.5);
      await this.#pause(Math.min(interval, this.#untilNextExpiry()));
    }
    // What arrived as the time ran out, or what a callback lost, is still read once.
    if (this.#since !== null && this.rows.some((r) => r.state === "no-answer")) {
      const last = await this.#pollRound(
        poller ??
          new ReplyPoller(
            this.#o.api,
            this.rows.map((r) => r.sim),
            this.#since,
          ),
      );
      this.#apiFailed ||= last < 0;
    }
    for (const r of this.rows) if (r.state === "sent" || r.state === "delivered") this.#change(r, { state: "no-answer" });
  }

  /** New replies read, or -1 when the API failed (the next round tries again). */
  async #pollRound(poller: ReplyPoller): Promise<number> {
    try {
      const { replies, failed } = await poller.round();
      let n = 0;
      for (const r of replies) if (this.#reply(r.sim, r.text)) n++;
      for (const c of failed) this.#deliveryFailed(c.sid);
      return n;
    } catch (err) {
      if (isCellgateError(err, "CG_ERR_API_AUTH")) throw err;
      this.#log.warn({ err: describeError(err) }, "reading the replies failed; trying again");
      return -1;
    }
  }

  async #feedRound(after: number): Promise<number> {
    try {
      const { events, last } = await this.#o.feed!.next(after, Math.min(10_000, this.#untilNextExpiry()));
      for (const e of events) {
        if (e.kind === "reply") this.#reply(e.sim, e.text);
        else if (e.kind === "command-status") {
          if (e.status === "failed") this.#deliveryFailed(e.commandSid);
          else this.#delivery(e.commandSid, e.status);
        }
      }
      return last;
    } catch (err) {
      if (isCellgateError(err, "CG_ERR_API_AUTH")) throw err;
      this.#log.warn({ err: describeError(err) }, "the callback feed failed; trying again");
      await this.#pause(1000);
      return after;
    }
  }

  #reply(sim: string, text: string): boolean {
    const row = this.#matcher.take(sim, text, this.#clock.now());
    if (row) this.#change(row, {});
    return row !== undefined;
  }

  #delivery(commandSid: string, status: string): void {
    const row = this.#byCommand.get(commandSid);
    if (row === undefined || FINAL.has(row.state)) return;
    this.#change(row, { delivery: status, ...(status === "delivered" ? { state: "delivered" as const } : {}) });
  }

  #deliveryFailed(commandSid: string): void {
    const row = this.#byCommand.get(commandSid);
    if (row === undefined || (row.state !== "sent" && row.state !== "delivered" && row.state !== "no-answer")) return;
    this.#change(row, { state: "failed", delivery: "failed", detail: "the network could not deliver the Command" });
  }

  /** Rows whose time ran out. */
  #expire(): void {
    const now = this.#clock.now();
    for (const r of this.rows)
      if ((r.state === "sent" || r.state === "delivered") && r.sentAt !== null && now - r.sentAt >= this.#o.timeoutMs)
        this.#change(r, { state: "no-answer", detail: `no answer within ${Math.round(this.#o.timeoutMs / 1000)} s` });
  }

  #untilNextExpiry(): number {
    const now = this.#clock.now();
    let next = 60_000;
    for (const r of this.rows)
      if ((r.state === "sent" || r.state === "delivered") && r.sentAt !== null)
        next = Math.min(next, Math.max(10, r.sentAt + this.#o.timeoutMs - now));
    return next;
  }

  #pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        this.#clock.clearTimeout(t);
        this.#wake = undefined;
        resolve();
      };
      const t = this.#clock.setTimeout(done, ms);
      this.#wake = done;
    });
  }

  #change(row: Row, patch: Partial<Row>): void {
    Object.assign(row, patch);
    this.#o.onChange?.(row, counts(this.rows));
    if (FINAL.has(row.state) && !this.#sending && this.rows.every((r) => FINAL.has(r.state))) this.#wake?.();
  }
}

function toTarget(r: Row): Target {
  return { sid: r.sim, uniqueName: r.name, iccid: r.iccid, status: null };
}

/** 5 characters of base 36, not used for this SIM before in the run. */
function uniqueRid(used: Map<string, Set<string>>, sim: string): string {
  const mine = used.get(sim) ?? new Set<string>();
  used.set(sim, mine);
  for (;;) {
    let rid = "";
    for (let i = 0; i < 5; i++) rid += RID_CHARS[randomInt(36)];
    if (!mine.has(rid)) {
      mine.add(rid);
      return rid;
    }
  }
}

/** How a create that did not go through is reported: this SIM's refusal, or the API's failure. */
function failure(err: unknown): Partial<Row> {
  if (isCellgateError(err, "CG_ERR_API_HTTP") || isCellgateError(err, "CG_ERR_API_NOT_FOUND")) {
    const code = typeof err.detail.apiCode === "number" ? err.detail.apiCode : undefined;
    const msg = typeof err.detail.apiMessage === "string" ? err.detail.apiMessage : err.message;
    // 33118: too many Commands queued for this SIM (its gateway is away): reported, not retried in a loop.
    return { state: "failed", detail: `${code !== undefined ? `${code} ` : ""}${msg}` };
  }
  return { state: "api-error", detail: describeError(err) };
}
