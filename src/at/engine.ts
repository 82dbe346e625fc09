import { CellgateError, Emitter, silentLogger, systemClock, type Clock, type Logger } from "../core/index.js";
import { finalResult } from "./final-result.js";
import { LineFramer, type FrameToken } from "./line-framer.js";
import { classifyLine, type LineKind } from "./line-kind.js";
import type { Link } from "./link.js";
import { resynchronise, START, unsynced, type SyncState } from "./resync.js";
import { shownCommand, type AtCommandOptions, type AtPort, type AtResponse, type SmsCommandOptions } from "./port.js";
import { STANDARD_URCS, UrcRegistry, type Urc, type UrcSpec } from "./urc-registry.js";
import { Waiter, type Outcome } from "./waiter.js";

export interface AtEngineOptions {
  link: Link;
  clock?: Clock;
  log?: Logger;
  urcs?: UrcRegistry;
  /** Default per-command timeout. */
  timeoutMs?: number;
  /** Timeout of one `AT` sent to resynchronise after a timeout. */
  resyncTimeoutMs?: number;
  /** The whole resync (several `AT`s when the modem refuses or drops some); default 3 × resyncTimeoutMs. */
  resyncBudgetMs?: number;
  /** Silence required after the resync `OK` before the next command is written. */
  resyncQuietMs?: number;
  promptTimeoutMs?: number;
  /** Time for the network to accept an SMS once its PDU is written. */
  smsTimeoutMs?: number;
}

export type AtEngineEvents = {
  urc: [Urc];
  /** A command got a final result code (the modem's AT interpreter is alive). */
  answered: [{ command: string; ms: number }];
  timeout: [{ command: string; consecutive: number }];
  resync: [{ ok: boolean; absorbed: string[] }];
  /** A line that arrived with no command in flight and is no known URC (a late reply, noise). */
  stray: [{ line: string }];
  /** An over-long line was dropped (CG_ERR_AT_FRAME, with the line's first bytes). */
  overflow: [CellgateError<"CG_ERR_AT_FRAME">];
  closed: [{ err?: Error }];
};

interface Job {
  command: string;
  payload?: string;
  opts: SmsCommandOptions;
  resolve: (r: AtResponse) => void;
  reject: (e: unknown) => void;
}

const CTRL_Z = "\x1a";
const ESC = "\x1b";

/**
 * The AT engine: one command in flight, the rest queued; URCs taken out of the stream before
 * a command sees it; a timeout per command; after a timeout (or abort) the next command is
 * preceded by a resync `AT` so a late reply is never handed to it.
 */
export class AtEngine implements AtPort {
  readonly events: Emitter<AtEngineEvents>;
  readonly #link: Link;
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #urcs: UrcRegistry;
  readonly #framer = new LineFramer();
  readonly #opts: Required<
    Pick<
      AtEngineOptions,
      "timeoutMs" | "resyncTimeoutMs" | "resyncBudgetMs" | "resyncQuietMs" | "promptTimeoutMs" | "smsTimeoutMs"
    >
  >;
  readonly #queue: Job[] = [];
  #pumping = false;
  #closed: Error | undefined;
  /** The exchange in flight (a job or the resync); only the token handler adds to it. */
  #active: Waiter | undefined;
  /** A URC that still expects trailing lines. */
  #urcPending: { spec: { match: string; trailingLines?: number }; urc: Urc } | undefined;
  /** Start unsynchronised: a previous process may have left the modem inside an SMS entry. */
  #sync: SyncState = START;
  #consecutiveTimeouts = 0;
  #lastAnswerAt: number | undefined;
  readonly #unsubscribe: Array<() => void> = [];

  constructor(o: AtEngineOptions) {
    this.#link = o.link;
    this.#clock = o.clock ?? systemClock;
    this.#log = (o.log ?? silentLogger).child({ mod: "at", link: o.link.description });
    this.#urcs = o.urcs ?? new UrcRegistry(STANDARD_URCS);
    this.#opts = {
      timeoutMs: o.timeoutMs ?? 5_000,
      resyncTimeoutMs: o.resyncTimeoutMs ?? 2_000,
      resyncBudgetMs: o.resyncBudgetMs ?? 3 * (o.resyncTimeoutMs ?? 2_000),
      resyncQuietMs: o.resyncQuietMs ?? 100,
      promptTimeoutMs: o.promptTimeoutMs ?? 5_000,
      smsTimeoutMs: o.smsTimeoutMs ?? 60_000,
    };
    this.events = new Emitter((event, err) => this.#log.error({ err, event }, "AT engine listener failed"));
    this.#unsubscribe.push(
      this.#link.onData((bytes) => this.#onBytes(bytes)),
      this.#link.onClose((err) => this.#onClosed(err)),
    );
  }

  get urcs(): UrcRegistry {
    return this.#urcs;
  }

  /** Timeouts in a row without any final result in between (the recovery ladder's input). */
  get consecutiveTimeouts(): number {
    return this.#consecutiveTimeouts;
  }

  /** When the modem last answered a command (clock ms), for liveness and the watchdog. */
  get lastAnswerAt(): number | undefined {
    return this.#lastAnswerAt;
  }

  get isClosed(): boolean {
    return this.#closed !== undefined;
  }

  onUrc(cb: (urc: Urc) => void): () => void {
    return this.events.on("urc", cb);
  }

  addUrcs(specs: readonly UrcSpec[]): void {
    for (const s of specs) this.#urcs.register(s);
  }

  command(cmd: string, opts: AtCommandOptions = {}): Promise<AtResponse> {
    return this.#enqueue(cmd, undefined, opts);
  }

  smsCommand(cmd: string, payload: string, opts: SmsCommandOptions = {}): Promise<AtResponse> {
    if (!/^[0-9A-Fa-f]*$/.test(payload)) {
      return Promise.reject(new CellgateError("CG_ERR_AT_INVALID", "an SMS payload must be PDU hex", { payload }));
    }
    return this.#enqueue(cmd, payload, opts);
  }

  /** Fails what is queued, detaches from the link and closes it. */
  async close(): Promise<void> {
    this.#onClosed(undefined);
    await this.#link.close();
  }

  #enqueue(cmd: string, payload: string | undefined, opts: SmsCommandOptions): Promise<AtResponse> {
    const command = cmd.trim();
    if (!/^AT/i.test(command) || /[\r\n\x1a\x1b]/.test(command)) {
      return Promise.reject(
        new CellgateError(
          "CG_ERR_AT_INVALID",
          `not a single AT command line: ${JSON.stringify(shownCommand(command, !!opts.sensitive))}`,
        ),
      );
    }
    if (this.#closed) return Promise.reject(this.#closedError(command, opts));
    return new Promise((resolve, reject) => {
      const job: Job = { command, opts, resolve, reject };
      if (payload !== undefined) job.payload = payload;
      if (opts.urgent) {
        const after = this.#queue.findIndex((j) => !j.opts.urgent);
        this.#queue.splice(after < 0 ? this.#queue.length : after, 0, job);
      } else this.#queue.push(job);
      void this.#pump();
    });
  }

  async #pump(): Promise<void> {
    if (this.#pumping) return;
    this.#pumping = true;
    try {
      for (let job = this.#queue.shift(); job !== undefined; job = this.#queue.shift()) {
        try {
          if (job.opts.signal?.aborted) throw this.#abortedError(job);
          if (this.#closed) throw this.#closedError(job.command, job.opts);
          if (this.#sync.kind === "unsynced" && !job.opts.force) await this.#resync(job);
          job.resolve(await this.#execute(job));
        } catch (err) {
          job.reject(err);
        }
      }
    } finally {
      this.#pumping = false;
    }
  }

  async #execute(job: Job): Promise<AtResponse> {
    const shown = shownCommand(job.command, !!job.opts.sensitive);
    const started = this.#clock.now();
    const w = this.#begin(job.command);
    const payload = job.payload;
    const prompted = payload !== undefined && !job.opts.noPrompt;
    // Set before writing: a fast port can answer before the write callback returns.
    if (prompted) w.phase = "prompt";
    try {
      let outcome: Outcome;
      let escapeOwed = false;
      if (payload === undefined) {
        await this.#write(`${job.command}\r`);
        outcome = await w.wait(job.opts.timeoutMs ?? this.#opts.timeoutMs, this.#clock, job.opts.signal);
      } else if (!prompted) {
        // No prompt on this modem: the PDU goes right after the line (and may be echoed).
        w.expectEcho(payload);
        await this.#write(`${job.command}\r${payload}${CTRL_Z}`);
        outcome = await w.wait(job.opts.timeoutMs ?? this.#opts.smsTimeoutMs, this.#clock, job.opts.signal);
      } else {
        await this.#write(`${job.command}\r`);
        outcome = await w.wait(job.opts.promptTimeoutMs ?? this.#opts.promptTimeoutMs, this.#clock, job.opts.signal);
        if (outcome.type === "prompt") {
          w.expectEcho(payload);
          w.phase = "final";
          await this.#write(`${payload}${CTRL_Z}`);
          outcome = await w.wait(job.opts.timeoutMs ?? this.#opts.smsTimeoutMs, this.#clock, job.opts.signal);
        } else if (outcome.type === "final" && outcome.kind.kind === "ok") {
          throw new CellgateError("CG_ERR_AT_PROMPT", `${shown}: OK without the > prompt`, { command: shown, lines: w.lines });
        } else if (outcome.type === "timeout" || outcome.type === "aborted") {
          // Leave PDU entry now: until ESC, the modem would take our next command for PDU text.
          escapeOwed = await this.#write(ESC).then(
            () => false,
            () => true,
          );
        }
      }
      return this.#settle(job, { shown, started, w, outcome, escapeOwed });
    } finally {
      if (this.#active === w) this.#active = undefined;
    }
  }

  #settle(job: Job, o: { shown: string; started: number; w: Waiter; outcome: Outcome; escapeOwed: boolean }): AtResponse {
    const { shown, w, outcome } = o;
    switch (outcome.type) {
      case "final":
        return this.#answered(shown, o.started, w.lines, outcome.kind, outcome.line);
      case "timeout":
      case "aborted": {
        // The modem may still answer: the next command must not see that answer. A prompt that
        // came late may have put the modem in PDU entry after all: ESC again first.
        const escape = o.escapeOwed || (job.payload !== undefined && !job.opts.noPrompt && w.phase !== "prompt");
        this.#sync = unsynced(this.#sync, { late: job.command, escape });
        if (outcome.type === "aborted") throw this.#abortedError(job);
        this.#consecutiveTimeouts++;
        this.#log.warn({ command: shown, consecutive: this.#consecutiveTimeouts }, "AT command timed out");
        this.events.emit("timeout", { command: shown, consecutive: this.#consecutiveTimeouts });
        throw new CellgateError("CG_ERR_AT_TIMEOUT", `${shown}: no final result code in time`, {
          command: shown,
          lines: w.lines,
          phase: w.phase,
          consecutive: this.#consecutiveTimeouts,
        });
      }
      case "closed":
        throw this.#closedError(job.command, job.opts);
      case "prompt":
        throw new CellgateError("CG_ERR_AT_PROMPT", `${shown}: unexpected > prompt`, { command: shown });
    }
  }

  /** A final result code arrived: the AT interpreter is alive, whatever it said. */
  #answered(shown: string, started: number, lines: string[], kind: LineKind, line: string): AtResponse {
    this.#consecutiveTimeouts = 0;
    this.#lastAnswerAt = this.#clock.now();
    this.events.emit("answered", { command: shown, ms: this.#lastAnswerAt - started });
    return finalResult(shown, lines, kind, line);
  }

  /** Proves the line quiet before `job` is written (see resynchronise); fails the job when it cannot. */
  async #resync(job: Job): Promise<void> {
    const w = this.#begin("AT", false);
    const shown = shownCommand(job.command, !!job.opts.sensitive);
    try {
      const r = await resynchronise({ waiter: w, write: (t) => this.#write(t) }, this.#sync, {
        clock: this.#clock,
        signal: job.opts.signal,
        tryMs: this.#opts.resyncTimeoutMs,
        budgetMs: this.#opts.resyncBudgetMs,
        quietMs: this.#opts.resyncQuietMs,
      });
      if (!r.ok) {
        if (r.reason === "aborted") throw this.#abortedError(job);
        if (r.reason === "closed") throw this.#closedError(job.command, job.opts);
        this.#consecutiveTimeouts++;
        this.events.emit("resync", { ok: false, absorbed: r.absorbed });
        this.events.emit("timeout", { command: "AT (resync)", consecutive: this.#consecutiveTimeouts });
        throw new CellgateError("CG_ERR_AT_TIMEOUT", `${shown}: the modem did not answer ${r.writes} resync AT(s)`, {
          command: shown,
          phase: "resync",
          absorbed: r.absorbed,
          consecutive: this.#consecutiveTimeouts,
        });
      }
      this.#sync = { kind: "synced" };
      this.#consecutiveTimeouts = 0;
      this.#lastAnswerAt = this.#clock.now();
      this.#log.debug({ absorbed: r.absorbed, writes: r.writes }, "resynchronised");
      this.events.emit("resync", { ok: true, absorbed: r.absorbed });
    } finally {
      if (this.#active === w) this.#active = undefined;
    }
  }

  #begin(command: string, endsAtFinal = true): Waiter {
    const w = new Waiter(command, endsAtFinal);
    this.#active = w;
    return w;
  }

  async #write(text: string): Promise<void> {
    try {
      await this.#link.write(Buffer.from(text, "latin1"));
    } catch (err) {
      this.#sync = unsynced(this.#sync);
      throw err instanceof CellgateError ? err : new CellgateError("CG_ERR_LINK_WRITE", String(err), {}, { cause: err });
    }
  }

  #onBytes(bytes: Uint8Array): void {
    for (const tok of this.#framer.push(bytes)) this.#onToken(tok);
  }

  #onToken(tok: FrameToken): void {
    if (tok.kind === "overflow") {
      const err = new CellgateError("CG_ERR_AT_FRAME", `dropped a ${tok.dropped}-byte line without a terminator`, {
        dropped: tok.dropped,
        raw: tok.head,
      });
      this.#log.warn({ err: err.message, head: tok.head }, "over-long line from the modem dropped");
      this.events.emit("overflow", err);
      return;
    }
    if (tok.kind === "prompt") {
      if (this.#active?.phase === "prompt") this.#active.push({ type: "prompt" });
      else this.events.emit("stray", { line: ">" });
      return;
    }
    this.#onLine(tok.text);
  }

  #onLine(line: string): void {
    const pending = this.#urcPending;
    if (pending !== undefined) {
      pending.urc.trailing.push(line);
      if (pending.urc.trailing.length >= (pending.spec.trailingLines ?? 0)) this.#deliverUrc(pending.urc);
      return;
    }
    const active = this.#active;
    const spec = this.#urcs.match(line, active?.command);
    if (spec !== undefined) {
      const urc: Urc = { name: spec.match, line, trailing: [] };
      if ((spec.trailingLines ?? 0) > 0) this.#urcPending = { spec, urc };
      else this.#deliverUrc(urc);
      return;
    }
    if (active === undefined) {
      this.#log.debug({ line }, "stray line");
      this.events.emit("stray", { line });
      return;
    }
    if (active.isEcho(line)) return;
    const kind = classifyLine(line);
    if (kind.kind === "info") active.lines.push(line);
    else {
      active.push({ type: "final", kind, line });
      // Over: a line after it in the same read (a call's NO CARRIER after ATD's OK) is not this reply's.
      if (active.endsAtFinal) this.#active = undefined;
    }
  }

  #deliverUrc(urc: Urc): void {
    this.#urcPending = undefined;
    this.events.emit("urc", urc);
  }

  #onClosed(err: Error | undefined): void {
    if (this.#closed) return;
    this.#closed = err ?? new CellgateError("CG_ERR_AT_CLOSED", "AT engine closed");
    for (const u of this.#unsubscribe) u();
    this.#active?.push({ type: "closed" });
    this.events.emit("closed", err ? { err } : {});
  }

  #closedError(command: string, opts: AtCommandOptions): CellgateError {
    const shown = shownCommand(command, !!opts.sensitive);
    return new CellgateError(
      "CG_ERR_AT_CLOSED",
      `${shown}: ${this.#link.description} is closed`,
      { command: shown },
      { cause: this.#closed },
    );
  }

  #abortedError(job: Job): CellgateError {
    const shown = shownCommand(job.command, !!job.opts.sensitive);
    return new CellgateError("CG_ERR_AT_ABORTED", `${shown}: aborted`, { command: shown }, { cause: job.opts.signal?.reason });
  }
}
