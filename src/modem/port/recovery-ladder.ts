/**
 * The recovery ladder for a modem that stops answering, as a pure state machine (tested with
 * a table): after N consecutive timeouts try a resync (ESC + AT), then the vendor's
 * functionality reset, then closing and reopening the port; if all fail, a cooldown before
 * the ladder may start again. Resets are rate-limited: a modem that needs one every few
 * minutes needs a human, not a reset loop.
 */
export type RecoveryStep = "resync" | "reset" | "reopen";

export interface LadderConfig {
  /** Consecutive command timeouts that start the ladder. */
  timeoutsToAct: number;
  /** Wait after the last step failed before the ladder may run again. */
  cooldownMs: number;
  /** At most this many reset steps per `resetWindowMs`; past it the reset step is skipped. */
  maxResets: number;
  resetWindowMs: number;
}

export const DEFAULT_LADDER: LadderConfig = {
  timeoutsToAct: 3,
  cooldownMs: 5 * 60_000,
  maxResets: 3,
  resetWindowMs: 60 * 60_000,
};

export type LadderMode = { kind: "healthy" } | { kind: "recovering"; step: RecoveryStep } | { kind: "cooldown"; until: number };

export interface LadderState {
  mode: LadderMode;
  /** When reset steps ran (clock ms), for the rate limit. */
  resets: readonly number[];
  /** No step until then (clock ms): the module said it is busy (a firmware update) and must not be reset. */
  heldUntil?: number;
}

export type LadderEvent =
  | { type: "timeout"; consecutive: number; now: number }
  | { type: "answered"; now: number }
  | { type: "step-done"; step: RecoveryStep; ok: boolean; now: number }
  | { type: "tick"; now: number }
  /** Someone (a `modem-reset` Command) asks for the reset step now. */
  | { type: "reset-requested"; now: number }
  /** Hold every step until `until` (a firmware update in progress); null lifts the hold. */
  | { type: "hold"; until: number | null; now: number };

export type LadderAction =
  | { type: "run"; step: RecoveryStep }
  | { type: "recovered"; step: RecoveryStep }
  | { type: "give-up"; until: number }
  | { type: "refused"; reason: string };

export const INITIAL_LADDER: LadderState = { mode: { kind: "healthy" }, resets: [] };

export function ladderNext(
  s: LadderState,
  e: LadderEvent,
  cfg: LadderConfig = DEFAULT_LADDER,
): { state: LadderState; action?: LadderAction } {
  const resets = s.resets.filter((t) => e.now - t < cfg.resetWindowMs);
  const held = s.heldUntil !== undefined && e.now < s.heldUntil ? { heldUntil: s.heldUntil } : {};
  const at = (mode: LadderMode, action?: LadderAction) => ({ state: { mode, resets, ...held }, ...(action ? { action } : {}) });
  const run = (step: RecoveryStep) => {
    const state: LadderState = { mode: { kind: "recovering", step }, resets: step === "reset" ? [...resets, e.now] : resets };
    return { state, action: { type: "run", step } as LadderAction };
  };
  if (e.type === "hold") return { state: { mode: s.mode, resets, ...(e.until !== null ? { heldUntil: e.until } : {}) } };
  // A module updating its firmware goes quiet by design: a reset then can brick it.
  if ("heldUntil" in held && (e.type === "timeout" || e.type === "reset-requested"))
    return at(
      s.mode,
      e.type === "reset-requested" ? { type: "refused", reason: "the module is updating its firmware" } : undefined,
    );
  if (e.type === "reset-requested") {
    // The same rate limit as the ladder's own resets: a modem-reset Command cannot start a reset loop.
    if (s.mode.kind === "recovering")
      return at(s.mode, { type: "refused", reason: `a recovery step (${s.mode.step}) is already running` });
    if (resets.length >= cfg.maxResets)
      return at(s.mode, {
        type: "refused",
        reason: `${resets.length} resets in the last ${Math.round(cfg.resetWindowMs / 60_000)} min (the limit)`,
      });
    return run("reset");
  }
  switch (s.mode.kind) {
    case "healthy":
      if (e.type === "timeout" && e.consecutive >= cfg.timeoutsToAct) return run("resync");
      return at(s.mode);
    case "cooldown":
      if (e.type === "answered" || (e.type === "tick" && e.now >= s.mode.until)) return at({ kind: "healthy" });
      return at(s.mode);
    case "recovering": {
      // While a step runs, only its own outcome moves the ladder.
      if (e.type !== "step-done" || e.step !== s.mode.step) return at(s.mode);
      if (e.ok) return at({ kind: "healthy" }, { type: "recovered", step: e.step });
      if (e.step === "resync") return resets.length < cfg.maxResets ? run("reset") : run("reopen");
      if (e.step === "reset") return run("reopen");
      const until = e.now + cfg.cooldownMs;
      return at({ kind: "cooldown", until }, { type: "give-up", until });
    }
  }
}
