import { describeError, Timers, type Clock, type Logger } from "../core/index.js";
import type { DataEvent } from "../modem/index.js";
import { diagnose, UNREGISTERED, type LinkFacts } from "./diagnosis.js";
import { allowedAt, linkNext, pickStep, type Hold, type LadderAction, type LadderEvent, type LadderPolicy } from "./ladder.js";
import type { LadderState, LinkStep, StepFix } from "./ladder.js";
import { bridgeProbe, describeProbe, dnsProbe, tcpProbe, type BridgeState, type ProbeResult, type ProbeSpec } from "./probe.js";
import type { LadderStore } from "./store.js";

export interface StepOutcome {
  ok: boolean;
  detail: string;
}

export interface LinkWatchdogOptions {
  store: LadderStore;
  state: LadderState;
  policy: LadderPolicy;
  probe: ProbeSpec;
  bearer: string;
  intervalMs: number;
  /** The bridge's state (the `bridge` probe). */
  bridge: () => BridgeState;
  /** What the modem and the carrier say now (registration, the account's SIM, plan and usage). */
  facts: () => Pick<LinkFacts, "registration" | "carrier">;
  /** How the module selects its network (+COPS mode, EF_FPLMN): read only while it is off the network. */
  selection?: () => Promise<LinkFacts["selection"]>;
  steps: Readonly<Record<LinkStep, (reason: string, fix?: StepFix) => Promise<StepOutcome>>>;
  /** Re-activates the context at once (a network-initiated teardown), outside the ladder. */
  redial: () => Promise<StepOutcome>;
  /** Holds the AT channel's own recovery (no reset while the module updates its firmware). */
  holdModemRecovery: (untilMs: number | null) => void;
  event: (type: string, detail: string, extra?: Record<string, unknown>) => void;
  /** A report by SMS (a data cap: data will not come back by itself). */
  sms?: (text: string) => void;
  clock: Clock;
  log: Logger;
}

/** The data path as health, the Command replies and `cellgate status` show it. */
export interface LinkStatus {
  bearer: string;
  probe: string;
  mode: LadderState["mode"]["kind"];
  lastProbe: { ok: boolean; ageMs: number; detail: string } | null;
  hold: Hold | null;
  running: LinkStep | null;
  /** The step the ladder takes next and in how long, while the path is down. */
  next: { step: LinkStep; inMs: number } | null;
  counters: LadderState["counters"];
  redials: number;
  /** Why the probe gave no verdict, when it could not tell (no bridge state seen yet). */
  undecided: string | null;
  /** One field: `up`, `down reattach in 2m`, `blocked: …`. */
  summary: string;
}

const FOTA_CAP_MS = 30 * 60_000;
/** After "END" the module restarts and attaches again: no step until data flows or this long has passed. */
const FOTA_RESTART_GRACE_MS = 2 * 60_000;
const PROBE_TIMEOUT_MS = 5000;

/**
 * Probes the data path every `intervalMs`, feeds the ladder, runs the steps it asks for (each
 * and its result an `events` message), and answers what the module reports on its own: a
 * network teardown is redialled at once, a firmware update holds every recovery, a throttled
 * attach backs off.
 */
export class LinkWatchdog {
  readonly #o: LinkWatchdogOptions;
  readonly #timers: Timers;
  #state: LadderState;
  #busy = false;
  #fota: { since: number; endedAt?: number } | null = null;
  #throttledUntil: number | null = null;
  #redials = 0;
  #smsSent = new Set<string>();
  #undecided: string | null = null;

  constructor(o: LinkWatchdogOptions) {
    this.#o = o;
    this.#state = o.state;
    this.#timers = new Timers(o.clock, (err) => o.log.error({ err: describeError(err) }, "link watchdog failed"));
  }

  start(): void {
    if (this.#o.probe.kind === "none") return;
    this.#timers.every(this.#o.intervalMs, () => this.probeNow());
  }

  stop(): void {
    this.#timers.stop();
  }

  get state(): LadderState {
    return this.#state;
  }

  /** One probe and what follows from it (skipped while a step or another probe runs). */
  async probeNow(): Promise<void> {
    if (this.#busy) return;
    this.#busy = true;
    try {
      const r = await this.#probe();
      this.#undecided = r.ok === null ? r.detail : null;
      if (r.ok === null) return;
      const now = this.#o.clock.now();
      this.#fotaOver(r.ok, now);
      if (!r.ok) this.#o.log.debug({ detail: r.detail }, "data path probe failed");
      const facts = this.#o.facts();
      const selection = r.ok ? null : await this.#selection(facts.registration);
      const tried = this.#state.tried;
      const d = diagnose({ ...facts, now, fota: this.#fota, throttledUntil: this.#throttledUntil, selection, tried });
      await this.#feed({
        type: "probe",
        ok: r.ok,
        detail: r.detail,
        now,
        hold: d.kind === "hold" ? d.hold : null,
        ...(d.kind === "direct" ? { direct: { step: d.step, reason: d.reason, ...(d.fix ? { fix: d.fix } : {}) } } : {}),
      });
      if (d.kind === "hold" && d.cause === "data-cap" && !r.ok) this.#smsOnce("data-cap", `link blocked: ${d.hold.reason}`);
    } finally {
      this.#busy = false;
    }
  }

  /** What the module reported on its own. */
  onDataEvent(e: DataEvent): void {
    const now = this.#o.clock.now();
    if (e.kind === "fota") {
      if (e.phase === "end") return this.#fotaEnded(e.error ? `ended with error ${e.error}` : "ended", now);
      if (this.#fota !== null) return;
      this.#fota = { since: now };
      this.#o.holdModemRecovery(now + FOTA_CAP_MS);
      this.#o.event("link-held", "the module announced a firmware update: no recovery step (not even a reset) until it ends", {
        cause: "fota",
        line: e.line,
      });
    } else if (e.kind === "throttled") {
      this.#throttledUntil = now + e.forMs;
      this.#o.event("link-held", `attach throttled (${e.line}): no step before ${new Date(this.#throttledUntil).toISOString()}`, {
        cause: "throttled",
      });
    } else if (e.kind === "pdn-deact" && e.by === "nw" && this.#fota === null) {
      void this.#redial(e.line);
    }
  }

  status(): LinkStatus {
    const s = this.#state;
    const now = this.#o.clock.now();
    const m = s.mode;
    const lp = s.lastProbe;
    const next = m.kind === "down" || m.kind === "waiting" || m.kind === "failing" ? this.#nextStep(now) : null;
    return {
      bearer: this.#o.bearer,
      probe: describeProbe(this.#o.probe),
      mode: m.kind,
      lastProbe: lp ? { ok: lp.ok, ageMs: now - lp.at, detail: lp.detail } : null,
      hold: m.kind === "held" ? m.hold : null,
      running: m.kind === "recovering" ? m.step : null,
      next,
      counters: s.counters,
      redials: this.#redials,
      undecided: this.#undecided,
      summary: summaryOf(m, next, this.#o.probe.kind === "none"),
    };
  }

  #nextStep(now: number): { step: LinkStep; inMs: number } | null {
    const p = this.#o.policy;
    if (p.recover.length === 0) return null;
    const pick = pickStep(this.#state, p, now);
    if ("index" in pick) {
      const wait =
        this.#state.mode.kind === "failing" ? (p.failures - this.#state.failed) * this.#o.intervalMs : this.#o.intervalMs;
      return { step: pick.step, inMs: Math.max(wait, allowedAt(this.#state, pick.step, p, now) - now) };
    }
    return pick.step === null || !Number.isFinite(pick.until) ? null : { step: pick.step, inMs: pick.until - now };
  }

  /** The module's network selection while it is off the network (two AT reads on the local port, no radio bytes). */
  async #selection(reg: LinkFacts["registration"]): Promise<LinkFacts["selection"]> {
    if (this.#o.selection === undefined || reg === null || !UNREGISTERED.has(reg.state)) return null;
    return this.#o.selection().catch((err: unknown) => {
      this.#o.log.warn({ err: describeError(err) }, "network selection not read");
      return null;
    });
  }

  async #probe(): Promise<ProbeResult> {
    const p = this.#o.probe;
    const { clock } = this.#o;
    if (p.kind === "bridge") return bridgeProbe(this.#o.bridge(), clock.now());
    if (p.kind === "tcp") return tcpProbe(p.host, p.port, PROBE_TIMEOUT_MS, clock);
    if (p.kind === "dns") return dnsProbe(p.name, PROBE_TIMEOUT_MS);
    return { ok: null, detail: "no probe" };
  }

  async #feed(e: LadderEvent): Promise<void> {
    const before = this.#state;
    const { state, actions } = linkNext(before, e, this.#o.policy);
    this.#state = state;
    // Written when the ladder moved (not for each probe's result: an SD card is written every interval otherwise).
    if (durable(state) !== durable(before)) await this.#o.store.save(state);
    for (const a of actions) await this.#act(a);
  }

  async #act(a: LadderAction): Promise<void> {
    const { event, log } = this.#o;
    if (a.type === "down") event("link-down", `data path down: ${a.detail}`, { detail: a.detail });
    else if (a.type === "held")
      event("link-held", `data path down, no step taken: ${a.hold.reason}`, { hold: a.hold, cause: a.hold.cause ?? null });
    else if (a.type === "waiting")
      event("link-waiting", `every step is rate-limited: ${a.step ?? "none"} at ${new Date(a.until).toISOString()}`, {
        until: a.until,
        step: a.step,
      });
    else if (a.type === "restored") {
      const by = a.after.length > 0 ? `, after ${a.after.join(" → ")}` : "";
      event("link-restored", `data path back after ${Math.round(a.downMs / 1000)} s${by}`, { downMs: a.downMs, after: a.after });
    } else {
      log.warn({ step: a.step, reason: a.reason }, "data path down: recovery step");
      event("link-step", `${a.step} start: ${a.reason}`, { step: a.step, phase: "start", reason: a.reason });
      const r = await this.#o.steps[a.step](a.reason, a.fix).catch((err: unknown) => ({ ok: false, detail: describeError(err) }));
      event("link-step", `${a.step} ${r.ok ? "done" : "failed"}: ${r.detail}`, { step: a.step, phase: r.ok ? "done" : "failed" });
      await this.#feed({ type: "step-done", step: a.step, ok: r.ok, now: this.#o.clock.now() });
    }
  }

  async #redial(line: string): Promise<void> {
    this.#redials++;
    this.#o.event("link-redial", `the network tore the context down (${line}): redialling at once`, { line });
    const r = await this.#o.redial().catch((err: unknown) => ({ ok: false, detail: describeError(err) }));
    this.#o.event("link-redial", `redial ${r.ok ? "done" : "failed"}: ${r.detail}`, { phase: r.ok ? "done" : "failed" });
  }

  /** The module restarts now: the AT channel's recovery may act again; the data path gets the grace to come back. */
  #fotaEnded(how: string, now: number): void {
    if (this.#fota === null || this.#fota.endedAt !== undefined) return;
    this.#fota.endedAt = now;
    this.#o.holdModemRecovery(null);
    this.#o.event("link-held", `the firmware update ${how}: the module restarts; no step until it is back`, {
      cause: "fota",
      phase: "end",
    });
  }

  /** The hold ends once data flows after the update, or a grace after its end, or when no end came within the cap. */
  #fotaOver(ok: boolean, now: number): void {
    const f = this.#fota;
    if (f === null) return;
    const ended = f.endedAt !== undefined && (ok || now - f.endedAt > FOTA_RESTART_GRACE_MS);
    if (!ended && now - f.since <= FOTA_CAP_MS) return;
    this.#fota = null;
    this.#o.holdModemRecovery(null);
    this.#o.event(
      "link-held",
      `firmware update over${ended ? "" : " (no end announced within 30 min)"}: recovery allowed again`,
      {
        cause: "fota",
        phase: "over",
      },
    );
  }

  #smsOnce(key: string, text: string): void {
    if (this.#smsSent.has(key) || this.#o.sms === undefined) return;
    this.#smsSent.add(key);
    this.#o.sms(text.slice(0, 150));
  }
}

const durable = (s: LadderState) => JSON.stringify({ ...s, lastProbe: null, failed: 0 });

function summaryOf(m: LadderState["mode"], next: LinkStatus["next"], off: boolean): string {
  if (off) return "not watched";
  const inS = (ms: number) => (ms >= 120_000 ? `${Math.round(ms / 60_000)}m` : `${Math.max(0, Math.round(ms / 1000))}s`);
  switch (m.kind) {
    case "unknown":
      return "not probed yet";
    case "up":
      return "up";
    case "held":
      return `${m.hold.kind === "blocked" ? "blocked" : "waiting"}: ${m.hold.reason}`;
    case "recovering":
      return `down, ${m.step} running`;
    default:
      return `${m.kind === "failing" ? "failing" : "down"}${next ? `, ${next.step} in ${inS(next.inMs)}` : ""}`;
  }
}
