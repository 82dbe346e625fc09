import {
  AtEngine,
  openSerialLink,
  traceLink,
  type AtEngineOptions,
  type AtPort,
  type AtResponse,
  type Link,
  type Urc,
  type UrcSpec,
} from "../../at/index.js";
import {
  CellgateError,
  describeError,
  Emitter,
  silentLogger,
  sleep,
  systemClock,
  Timers,
  type Clock,
  type Logger,
  withDefaults,
} from "../../core/index.js";
import { findPorts } from "./finder.js";
import {
  DEFAULT_LADDER,
  INITIAL_LADDER,
  ladderNext,
  type LadderAction,
  type LadderConfig,
  type LadderEvent,
  type RecoveryStep,
} from "./recovery-ladder.js";

export interface PortSupervisorOptions {
  /** Paths or patterns (`*` in the last segment) the modem's AT port may appear under. */
  ports: readonly string[];
  baudRate?: number;
  /** How a path becomes a Link; the real serialport binding by default. */
  openLink?: (path: string) => Promise<Link>;
  clock?: Clock;
  log?: Logger;
  engine?: Pick<AtEngineOptions, "timeoutMs" | "resyncTimeoutMs" | "resyncQuietMs">;
  /** How often to look for the device while it is missing, and to check it is still there. */
  pollMs?: number;
  /** An idle modem is probed with `AT` this often, so a dead AT channel is noticed. */
  livenessMs?: number;
  ladder?: Partial<LadderConfig>;
  /** Run after each (re)open and after a reset: the modem's init sequence. */
  onReady?: (port: AtPort, signal: AbortSignal) => Promise<void>;
  /** The vendor's reset command (known once the modem is identified). */
  resetCommand?: () => string;
  /** How long a reset modem gets to answer again. */
  resetWaitMs?: number;
}

/** The timing defaults, in one place: a USB modem re-enumerates within seconds, a reset within 30 s. */
const TIMING = { baudRate: 115_200, pollMs: 1000, livenessMs: 30_000, resetWaitMs: 30_000 };
type Timing = typeof TIMING;

export type PortState =
  | { kind: "stopped" }
  | { kind: "waiting"; since: number; reason: string }
  | { kind: "opening"; path: string }
  | { kind: "ready"; path: string; since: number };

export type RecoveryEvent =
  { step: RecoveryStep; phase: "start" | "ok" | "failed"; detail?: string } | { step: "give-up"; until: number };

export type SupervisorEvents = {
  state: [PortState];
  recovery: [RecoveryEvent];
  portLost: [{ path: string; reason: string }];
  portOpened: [{ path: string }];
  /** Every AT command's outcome: a final result code, or none before its timeout (metrics). */
  at: [{ outcome: "answered" | "timeout" }];
};

/**
 * Owns the modem's serial port: finds it under any allowed name, opens it, notices when it
 * goes (close/EIO from the binding, or the device node vanishing or changing), reopens it
 * when it returns, and climbs the recovery ladder when the modem stops answering. Other
 * layers see only `port`, an AtPort that survives reopens.
 */
export class PortSupervisor {
  readonly events: Emitter<SupervisorEvents>;
  readonly port: AtPort;
  readonly #o: PortSupervisorOptions & Timing;
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #ladderCfg: LadderConfig;
  readonly #abort = new AbortController();
  readonly #urcListeners = new Set<(u: Urc) => void>();
  #urcSpecs: UrcSpec[] = [];
  #state: PortState = { kind: "stopped" };
  #engine: AtEngine | undefined;
  #link: Link | undefined;
  #ladder = INITIAL_LADDER;
  #connecting: Promise<void> | undefined;
  #probing = false;
  readonly #timers: Timers;

  constructor(o: PortSupervisorOptions) {
    this.#o = { ...o, ...withDefaults(o, TIMING) };
    this.#clock = o.clock ?? systemClock;
    this.#log = (o.log ?? silentLogger).child({ mod: "port" });
    this.#ladderCfg = { ...DEFAULT_LADDER, ...o.ladder };
    this.#timers = new Timers(this.#clock, (err) => this.#log.error({ err: describeError(err) }, "port task failed"));
    this.events = new Emitter((event, err) => this.#log.error({ err, event }, "port listener failed"));
    this.port = {
      command: (cmd, opts) => this.#withEngine(cmd, (e) => e.command(cmd, opts)),
      smsCommand: (cmd, payload, opts) => this.#withEngine(cmd, (e) => e.smsCommand(cmd, payload, opts)),
      onUrc: (cb) => {
        this.#urcListeners.add(cb);
        return () => this.#urcListeners.delete(cb);
      },
      addUrcs: (specs) => {
        // Every modem init adds its profile's URCs again (after each reset or reopen): keep one of each.
        const added = new Set(specs.map((s) => `${s.exact ? "=" : "^"}${s.match}`));
        this.#urcSpecs = [...this.#urcSpecs.filter((s) => !added.has(`${s.exact ? "=" : "^"}${s.match}`)), ...specs];
        this.#engine?.addUrcs(specs);
      },
    } satisfies AtPort;
  }

  get state(): PortState {
    return this.#state;
  }

  /** The engine of the open port (its lastAnswerAt feeds the watchdog). */
  get engine(): AtEngine | undefined {
    return this.#engine;
  }

  /** Starts looking for the port; resolves once it is open and ready, or rejects after `timeoutMs`. */
  async start(timeoutMs = 30_000): Promise<void> {
    if (this.#state.kind !== "stopped") return;
    this.#setState({ kind: "waiting", since: this.#clock.now(), reason: "starting" });
    this.#connect();
    this.#timers.every(this.#o.pollMs, () => this.#tick());
    this.#timers.every(this.#o.livenessMs, () => this.#probe());
    await this.whenReady(timeoutMs);
  }

  /** Resolves when the port is ready; rejects with CG_ERR_LINK_OPEN after `timeoutMs`. */
  async whenReady(timeoutMs: number): Promise<void> {
    const deadline = this.#clock.now() + timeoutMs;
    while (this.#state.kind !== "ready") {
      if (this.#state.kind === "stopped" || this.#clock.now() >= deadline) {
        throw new CellgateError("CG_ERR_LINK_OPEN", `no modem port became ready among ${this.#o.ports.join(", ")}`, {
          ports: this.#o.ports,
          state: this.#state,
        });
      }
      await sleep(20, this.#clock);
    }
  }

  async stop(): Promise<void> {
    this.#abort.abort(new CellgateError("CG_ERR_AT_CLOSED", "port supervisor stopped"));
    this.#timers.stop();
    this.#setState({ kind: "stopped" });
    await this.#closeCurrent();
  }

  /**
   * The ladder's reset step on request (a `modem-reset` Command): refused while another step
   * runs or past the reset rate limit; resolves when the modem answers again or the step failed
   * (the ladder then goes on as for any failed reset).
   */
  async resetModem(reason: string): Promise<{ ok: boolean; detail: string; tookMs: number }> {
    const started = this.#clock.now();
    if (this.#state.kind !== "ready") return { ok: false, detail: `modem port not ready (${this.#state.kind})`, tookMs: 0 };
    const { state, action } = ladderNext(this.#ladder, { type: "reset-requested", now: started }, this.#ladderCfg);
    this.#ladder = state;
    if (action?.type === "refused") return { ok: false, detail: `refused: ${action.reason}`, tookMs: 0 };
    this.#log.warn({ reason }, "modem reset requested");
    this.events.emit("recovery", { step: "reset", phase: "start", detail: reason });
    const ok = await this.#runStep("reset");
    this.events.emit("recovery", { step: "reset", phase: ok ? "ok" : "failed", detail: reason });
    this.#ladderEvent({ type: "step-done", step: "reset", ok, now: this.#clock.now() });
    return {
      ok,
      detail: ok ? "the modem answers again" : "the modem did not answer after the reset; the ladder goes on",
      tookMs: this.#clock.now() - started,
    };
  }

  /** No recovery step (not even a reset) until `until`, clock ms; null lifts it (a firmware update ended). */
  holdRecovery(until: number | null): void {
    this.#ladderEvent({ type: "hold", until, now: this.#clock.now() });
  }

  /** Runs the modem's init again (after a boot banner: a restarted modem forgot its settings). */
  async reinit(reason: string): Promise<void> {
    if (this.#state.kind !== "ready" || this.#o.onReady === undefined) return;
    this.#log.info({ reason }, "re-initialising the modem");
    await this.#o
      .onReady(this.port, this.#abort.signal)
      .catch((err: unknown) => this.#log.error({ err: describeError(err) }, "re-init failed"));
  }

  #withEngine(cmd: string, fn: (e: AtEngine) => Promise<AtResponse>): Promise<AtResponse> {
    const e = this.#engine;
    if (e === undefined || e.isClosed) {
      return Promise.reject(
        new CellgateError("CG_ERR_LINK_LOST", `${cmd}: the modem port is not open (${this.#state.kind})`, {
          state: this.#state.kind,
        }),
      );
    }
    return fn(e);
  }

  #connect(): void {
    if (this.#connecting !== undefined) return;
    this.#connecting = this.#connectLoop().finally(() => (this.#connecting = undefined));
  }

  async #connectLoop(): Promise<void> {
    let wait = this.#o.pollMs;
    while (this.#state.kind === "waiting" && !this.#abort.signal.aborted) {
      for (const path of await findPorts(this.#o.ports)) {
        try {
          await this.#open(path);
          return;
        } catch (err) {
          this.#log.warn({ path, err: describeError(err) }, "cannot open the modem port");
          await this.#closeCurrent();
          this.#setState({ kind: "waiting", since: this.#clock.now(), reason: describeError(err) });
        }
      }
      await sleep(wait, this.#clock, this.#abort.signal).catch(() => {});
      wait = Math.min(wait * 2, 10_000);
    }
  }

  async #open(path: string): Promise<void> {
    this.#setState({ kind: "opening", path });
    // The link watches its device node itself (gone, or replaced by another device).
    const open = this.#o.openLink ?? ((p) => openSerialLink({ path: p, baudRate: this.#o.baudRate, watchMs: this.#o.pollMs }));
    const raw = await open(path);
    const link = traceLink(raw);
    const engine = new AtEngine({ link, clock: this.#clock, log: this.#log, ...this.#o.engine });
    engine.addUrcs(this.#urcSpecs);
    engine.onUrc((u) => {
      for (const cb of [...this.#urcListeners]) cb(u);
    });
    engine.events.on("timeout", (t) => {
      this.events.emit("at", { outcome: "timeout" });
      this.#ladderEvent({ type: "timeout", consecutive: t.consecutive, now: this.#clock.now() });
    });
    engine.events.on("answered", () => {
      this.events.emit("at", { outcome: "answered" });
      this.#ladderEvent({ type: "answered", now: this.#clock.now() });
    });
    link.onClose((err) => this.#lost(engine, path, err ? describeError(err) : "closed"));
    this.#link = link;
    this.#engine = engine;
    await this.#initOnOpen(path);
    if (this.#engine !== engine) throw new CellgateError("CG_ERR_LINK_LOST", `${path} went away while opening`, { path });
    this.#setState({ kind: "ready", path, since: this.#clock.now() });
    this.#log.info({ path }, "modem port ready");
    this.events.emit("portOpened", { path });
  }

  /**
   * The modem's init, retried a few times: a modem that was just plugged in or reset is
   * still booting and ignores commands until its RDY. One that never answers is left to the
   * ladder rather than given up.
   */
  async #initOnOpen(path: string): Promise<void> {
    if (this.#o.onReady === undefined) return;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.#o.onReady(this.port, this.#abort.signal);
        return;
      } catch (err) {
        const again = attempt < 3 && this.#engine !== undefined && !this.#abort.signal.aborted;
        this.#log.warn({ path, attempt, err: describeError(err) }, again ? "modem init failed; retrying" : "modem init failed");
        if (!again) return;
        await sleep(1000, this.#clock, this.#abort.signal).catch(() => {});
      }
    }
  }

  /** `ownStep`: the ladder's reopen closed the port, so its state carries on. */
  #lost(engine: AtEngine, path: string, reason: string, ownStep = false): void {
    if (this.#engine !== engine) return;
    this.#engine = undefined;
    this.#link = undefined;
    if (!ownStep) this.#ladder = { ...INITIAL_LADDER, resets: this.#ladder.resets };
    if (this.#state.kind === "stopped") return;
    this.#log.warn({ path, reason }, "modem port lost");
    this.events.emit("portLost", { path, reason });
    this.#setState({ kind: "waiting", since: this.#clock.now(), reason });
    this.#connect();
  }

  #tick(): void {
    this.#ladderEvent({ type: "tick", now: this.#clock.now() });
  }

  /** Gives up the open port for `reason` and starts looking for it again. */
  async #drop(reason: string, ownStep = false): Promise<void> {
    const { engine, link } = { engine: this.#engine, link: this.#link };
    const path = this.#state.kind === "ready" || this.#state.kind === "opening" ? this.#state.path : "";
    if (engine !== undefined) this.#lost(engine, path, reason, ownStep);
    if (link?.isOpen) await link.close().catch(() => {});
  }

  /** One `AT` when the modem has been quiet for a while; never several queued, never during recovery. */
  async #probe(): Promise<void> {
    const e = this.#engine;
    const idle = this.#clock.now() - (e?.lastAnswerAt ?? 0) >= this.#o.livenessMs;
    if (e === undefined || !idle || this.#probing || this.#ladder.mode.kind === "recovering") return;
    this.#probing = true;
    await e.command("AT").catch(() => {});
    this.#probing = false;
  }

  #ladderEvent(ev: LadderEvent): void {
    const { state, action } = ladderNext(this.#ladder, ev, this.#ladderCfg);
    this.#ladder = state;
    if (action !== undefined) this.#onLadderAction(action);
  }

  #onLadderAction(a: LadderAction): void {
    if (a.type === "run") {
      this.#log.warn({ step: a.step }, "modem not answering: recovery step");
      this.events.emit("recovery", { step: a.step, phase: "start" });
      void this.#runStep(a.step).then((ok) => {
        this.events.emit("recovery", { step: a.step, phase: ok ? "ok" : "failed" });
        this.#ladderEvent({ type: "step-done", step: a.step, ok, now: this.#clock.now() });
      });
    } else if (a.type === "give-up") {
      this.#log.error({ until: new Date(a.until).toISOString() }, "modem recovery failed; cooling down");
      this.events.emit("recovery", { step: "give-up", until: a.until });
    } else if (a.type === "recovered") {
      this.#log.info({ step: a.step }, "modem answers again");
    }
  }

  async #runStep(step: RecoveryStep): Promise<boolean> {
    const answers = async (timeoutMs = 2000) => {
      try {
        await this.port.command("AT", { timeoutMs });
        return true;
      } catch {
        return false;
      }
    };
    try {
      if (step === "resync") return await answers();
      if (step === "reset") {
        const cmd = this.#o.resetCommand?.() ?? "AT+CFUN=1,1";
        await this.port.command(cmd, { force: true }).catch(() => {});
        return await this.#awaitAnswer(this.#o.resetWaitMs, answers);
      }
      // reopen: close, let the connect loop find and open the port again.
      await this.#drop("recovery: reopen", true);
      await this.whenReady(this.#o.resetWaitMs);
      return await answers();
    } catch (err) {
      this.#log.warn({ step, err: describeError(err) }, "recovery step failed");
      return false;
    }
  }

  /** After a reset: poll until the modem answers (re-initialising it), or the port is replaced. */
  async #awaitAnswer(withinMs: number, answers: (t?: number) => Promise<boolean>): Promise<boolean> {
    const engine = this.#engine;
    const deadline = this.#clock.now() + withinMs;
    while (this.#clock.now() < deadline && !this.#abort.signal.aborted) {
      await sleep(1000, this.#clock, this.#abort.signal);
      // A USB modem re-enumerates on reset: the port-loss path reopens and re-inits it.
      if (this.#engine !== engine) {
        await this.whenReady(Math.max(0, deadline - this.#clock.now()));
        return answers();
      }
      if (await answers(1000)) {
        await this.reinit("after reset");
        return true;
      }
    }
    return false;
  }

  async #closeCurrent(): Promise<void> {
    const link = this.#link;
    if (link?.isOpen) await link.close().catch(() => {});
  }

  #setState(s: PortState): void {
    this.#state = s;
    this.events.emit("state", s);
  }
}
