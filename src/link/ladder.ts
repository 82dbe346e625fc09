/**
 * The data-path ladder, as a pure state machine (tested with a table): after `failures`
 * consecutive failed probes, take the lightest step of `recover` that its rate limit allows;
 * after each step, the next failed probe takes the next one. A step is never taken again
 * within its minimum interval (persisted across restarts: the state is plain JSON); reboots
 * also back off exponentially and have a daily cap. While something the modem cannot fix
 * explains the failure (a hold), no step is taken. Distinct from modem/port's recovery ladder,
 * which brings back an AT channel that stopped answering: this one brings back data.
 */
export type LinkStep = "reattach" | "cfun" | "modem-reset" | "reboot";

/** What a step does first when a cause needs it: `selection` puts automatic network selection back and empties EF_FPLMN. */
export type StepFix = "selection";

export interface LadderPolicy {
  failures: number;
  recover: readonly LinkStep[];
  minIntervalMs: Readonly<Record<LinkStep, number>>;
  maxRebootsPerDay: number;
}

/** What explains a failure that no step can fix now: `blocked` until the cause goes, `wait` until a time or an event. */
/** `cause` names what explains the failure (fota, throttled, sim-status, data-cap…), for the event and its readers. */
export type Hold = ({ kind: "blocked"; reason: string } | { kind: "wait"; reason: string; until: number | null }) & {
  cause?: string;
};

export type LinkMode =
  | { kind: "unknown" }
  | { kind: "up"; since: number }
  /** Probes fail, fewer than `failures` in a row. */
  | { kind: "failing"; since: number }
  /** Down, between steps: the next failed probe takes the next step. */
  | { kind: "down"; since: number }
  | { kind: "recovering"; since: number; step: LinkStep }
  /** Down, every step rate-limited until `until`. */
  | { kind: "waiting"; since: number; until: number }
  | { kind: "held"; since: number; hold: Hold };

export interface LadderState {
  mode: LinkMode;
  /** Consecutive failed probes. */
  failed: number;
  /** Where in `recover` the next step is looked for. */
  next: number;
  /** When each step last started (clock ms). */
  taken: Partial<Record<LinkStep, number>>;
  /** When the ladder rebooted the gateway (clock ms), for the daily cap. */
  reboots: number[];
  /** Reboots since the data path last worked: the back-off's exponent. */
  rebootStreak: number;
  /** Steps taken since the data path went down, in order. */
  tried: LinkStep[];
  /** Per step: how often it was taken, and how often the data path came back after it. */
  counters: Partial<Record<LinkStep, { taken: number; fixed: number }>>;
  lastProbe: { ok: boolean; at: number; detail: string } | null;
}

export const INITIAL_LINK: LadderState = {
  mode: { kind: "unknown" },
  failed: 0,
  next: 0,
  taken: {},
  reboots: [],
  rebootStreak: 0,
  tried: [],
  counters: {},
  lastProbe: null,
};

export type LadderEvent =
  /** A probe's result; `hold` is what the carrier or the modem says explains a failure; `direct` a step that cause needs. */
  | { type: "probe"; ok: boolean; detail: string; now: number; hold?: Hold | null; direct?: Direct }
  | { type: "step-done"; step: LinkStep; ok: boolean; now: number };

/** The one step a cause needs, and what it does first. */
export interface Direct {
  step: LinkStep;
  reason: string;
  fix?: StepFix;
}

export type LadderAction =
  | { type: "down"; detail: string }
  | { type: "run"; step: LinkStep; reason: string; fix?: StepFix }
  | { type: "restored"; downMs: number; after: LinkStep[] }
  | { type: "held"; hold: Hold }
  | { type: "waiting"; until: number; step: LinkStep | null };

const DAY_MS = 86_400_000;
const MAX_BACKOFF_EXPONENT = 6;

/** How long after its last run a step may run again (the reboot's doubles with each reboot that did not help). */
export function minInterval(s: LadderState, step: LinkStep, p: LadderPolicy): number {
  const base = p.minIntervalMs[step];
  return step === "reboot" ? base * 2 ** Math.min(s.rebootStreak, MAX_BACKOFF_EXPONENT) : base;
}

/** When `step` may run next (≤ now: it may run now). */
export function allowedAt(s: LadderState, step: LinkStep, p: LadderPolicy, now: number): number {
  const last = s.taken[step];
  let at = last === undefined ? now : last + minInterval(s, step, p);
  if (step === "reboot") {
    const recent = s.reboots.filter((t) => now - t < DAY_MS).sort((a, b) => a - b);
    if (p.maxRebootsPerDay === 0) return Number.POSITIVE_INFINITY;
    if (recent.length >= p.maxRebootsPerDay) at = Math.max(at, recent[recent.length - p.maxRebootsPerDay]! + DAY_MS);
  }
  return at;
}

/** The step the ladder would take now, from `next` on (wrapping to the lightest), or when the first one is allowed. */
export function pickStep(
  s: LadderState,
  p: LadderPolicy,
  now: number,
): { step: LinkStep; index: number } | { until: number; step: LinkStep | null } {
  const n = p.recover.length;
  let soonest: { until: number; step: LinkStep | null } = { until: Number.POSITIVE_INFINITY, step: null };
  for (let k = 0; k < n; k++) {
    const index = (s.next + k) % n;
    const step = p.recover[index]!;
    const at = allowedAt(s, step, p, now);
    if (at <= now) return { step, index };
    if (at < soonest.until) soonest = { until: at, step };
  }
  return soonest;
}

export function linkNext(s: LadderState, e: LadderEvent, p: LadderPolicy): { state: LadderState; actions: LadderAction[] } {
  if (e.type === "step-done") {
    if (s.mode.kind !== "recovering" || s.mode.step !== e.step) return { state: s, actions: [] };
    return { state: { ...s, mode: { kind: "down", since: e.now } }, actions: [] };
  }
  const lastProbe = { ok: e.ok, at: e.now, detail: e.detail };
  // While a step runs only its own outcome moves the ladder.
  if (s.mode.kind === "recovering") return { state: { ...s, lastProbe }, actions: [] };
  if (e.ok) return probeOk(s, lastProbe, e.now);
  // A hold that has gone (the SIM re-activated, the network allows us again, an update over) changed what the
  // failures meant: the module often reattaches by itself, so the count starts again before any step.
  const afterHold = s.mode.kind === "held" && !e.hold;
  const failed = afterHold ? 1 : s.failed + 1;
  const wasDown = !afterHold && (isDown(s.mode) || s.tried.length > 0);
  const base: LadderState = { ...s, failed, lastProbe };
  if (e.hold) {
    const same = s.mode.kind === "held" && s.mode.hold.reason === e.hold.reason;
    const since = s.mode.kind === "held" ? s.mode.since : e.now;
    return {
      state: { ...base, mode: { kind: "held", since, hold: e.hold } },
      actions: same ? [] : [{ type: "held", hold: e.hold }],
    };
  }
  if (failed < p.failures && !wasDown && e.direct === undefined) {
    return {
      state: { ...base, mode: { kind: "failing", since: s.mode.kind === "failing" ? s.mode.since : e.now } },
      actions: [],
    };
  }
  const down: LadderAction[] = wasDown && s.mode.kind !== "held" ? [] : [{ type: "down", detail: e.detail }];
  return climb(base, p, e.now, down, e.direct);
}

function isDown(m: LinkMode): boolean {
  return m.kind === "down" || m.kind === "waiting" || m.kind === "recovering";
}

function probeOk(
  s: LadderState,
  lastProbe: LadderState["lastProbe"],
  now: number,
): { state: LadderState; actions: LadderAction[] } {
  const wasDown = isDown(s.mode) || s.mode.kind === "held" || s.tried.length > 0;
  const since = s.mode.kind === "up" ? s.mode.since : now;
  const counters = { ...s.counters };
  const last = s.tried[s.tried.length - 1];
  if (last !== undefined) counters[last] = { taken: counters[last]?.taken ?? 0, fixed: (counters[last]?.fixed ?? 0) + 1 };
  const downSince = "since" in s.mode && s.mode.kind !== "up" ? s.mode.since : now;
  const state: LadderState = {
    ...s,
    mode: { kind: "up", since },
    failed: 0,
    next: 0,
    tried: [],
    rebootStreak: 0,
    counters,
    lastProbe,
  };
  return { state, actions: wasDown ? [{ type: "restored", downMs: now - downSince, after: s.tried }] : [] };
}

/** Takes the next step the rate limits allow (or the one a cause needs), else waits for the first one allowed. */
function climb(
  s: LadderState,
  p: LadderPolicy,
  now: number,
  before: LadderAction[],
  direct?: Direct,
): { state: LadderState; actions: LadderAction[] } {
  const since = "since" in s.mode && s.mode.kind !== "up" ? s.mode.since : now;
  const pick =
    direct !== undefined && p.recover.includes(direct.step)
      ? allowedAt(s, direct.step, p, now) <= now
        ? { step: direct.step, index: p.recover.indexOf(direct.step) }
        : { until: allowedAt(s, direct.step, p, now), step: direct.step }
      : pickStep(s, p, now);
  if ("until" in pick) {
    const same = s.mode.kind === "waiting" && s.mode.until === pick.until;
    const state: LadderState = { ...s, mode: { kind: "waiting", since, until: pick.until } };
    return { state, actions: same ? before : [...before, { type: "waiting", until: pick.until, step: pick.step }] };
  }
  const { step, index } = pick;
  const reason = direct?.reason ?? `data path down (${s.failed} failed probe${s.failed === 1 ? "" : "s"})`;
  const c = s.counters[step];
  const state: LadderState = {
    ...s,
    mode: { kind: "recovering", since, step },
    next: (index + 1) % Math.max(1, p.recover.length),
    taken: { ...s.taken, [step]: now },
    reboots: step === "reboot" ? [...s.reboots.filter((t) => now - t < DAY_MS), now] : s.reboots,
    rebootStreak: step === "reboot" ? s.rebootStreak + 1 : s.rebootStreak,
    tried: [...s.tried, step],
    counters: { ...s.counters, [step]: { taken: (c?.taken ?? 0) + 1, fixed: c?.fixed ?? 0 } },
  };
  const fix = direct?.step === step ? direct.fix : undefined;
  return { state, actions: [...before, { type: "run", step, reason, ...(fix ? { fix } : {}) }] };
}

/** A state read back from disk: a step that was running when the process died counts as taken, not as running. */
export function resumed(s: LadderState): LadderState {
  return s.mode.kind === "recovering" ? { ...s, mode: { kind: "down", since: s.mode.since } } : s;
}
