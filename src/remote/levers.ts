import { isCellgateError, sleep, systemClock, type Clock } from "../core/index.js";
import type { Feed } from "./feed.js";
import type { FleetApi, SimChange, Target } from "./fleet-api.js";

export interface SimState {
  status: string | null;
  resetStatus: string | null;
}

export interface LeverResult {
  sim: string;
  name: string | null;
  requested: { status?: string; resetConnectivity?: boolean; commandsCallbackUrl?: string };
  before: SimState;
  /** What the API answered at once (a change in progress: `updating`, `scheduled`, `resetting`). */
  accepted: SimState;
  /** What the SIM became (with --wait), or null. */
  after: SimState | null;
  /** The change reached its outcome (with --wait); false when the wait ran out. */
  done: boolean | null;
  seconds: number;
}

export interface LeverOptions {
  api: FleetApi;
  target: Target;
  change: SimChange;
  /** Follow the change to its outcome, for up to `timeoutMs`. */
  wait: boolean;
  timeoutMs: number;
  /** Called back through `remote serve` (the change's CallbackUrl); the SIM is read again when it calls. */
  feed?: Feed;
  pollMs?: number;
  clock?: Clock;
}

/**
 * The carrier's levers: a SIM status change, a Reset Connectivity (the carrier-side cure for
 * "registered but no data", which a gateway without data cannot ask for itself). The API accepts
 * them (202) and finishes in the background; with `wait` they are followed to their outcome by
 * reading the SIM (backing off), or when `remote serve` hears the change's callback.
 */
export async function pullLever(o: LeverOptions): Promise<LeverResult> {
  const clock = o.clock ?? systemClock;
  const started = clock.now();
  const before = await o.api.simState(o.target.sid);
  const callbackUrl = o.feed ? `${await o.feed.publicUrl()}/callbacks/sim` : undefined;
  const changed = await o.api.updateSim(o.target.sid, { ...o.change, ...(callbackUrl ? { callbackUrl } : {}) });
  const accepted = { status: changed.status, resetStatus: o.change.resetConnectivity ? "resetting" : before.resetStatus };
  const result: LeverResult = {
    sim: o.target.sid,
    name: o.target.uniqueName,
    requested: {
      ...(o.change.status ? { status: o.change.status } : {}),
      ...(o.change.resetConnectivity ? { resetConnectivity: true } : {}),
      ...(o.change.commandsCallbackUrl ? { commandsCallbackUrl: o.change.commandsCallbackUrl } : {}),
    },
    before,
    accepted,
    after: null,
    done: null,
    seconds: 0,
  };
  if (o.wait) {
    const after = await follow(o, clock, started);
    result.after = after.state;
    result.done = after.done;
  }
  result.seconds = Math.round((clock.now() - started) / 100) / 10;
  return result;
}

/** Whether the SIM has become what was asked (a deactivation may already have gone on to canceled). */
export function reached(change: SimChange, s: SimState): boolean {
  const status =
    change.status === undefined ||
    s.status === change.status ||
    (change.status === "deactivated" && s.status === "canceled") ||
    (change.status === "ready" && s.status === "active");
  return status && (!change.resetConnectivity || s.resetStatus === null);
}

async function follow(o: LeverOptions, clock: Clock, started: number): Promise<{ state: SimState; done: boolean }> {
  let interval = o.pollMs ?? 1000;
  let after = 0;
  let state = await o.api.simState(o.target.sid);
  while (!reached(o.change, state)) {
    const left = started + o.timeoutMs - clock.now();
    if (left <= 0) return { state, done: false };
    if (o.feed) {
      // The callback says the change has finished; the SIM is read again to see what it became.
      try {
        const next = await o.feed.next(after, Math.min(left, 10_000));
        after = next.last;
        if (!next.events.some((e) => e.kind === "sim-status" && e.sim === o.target.sid)) continue;
      } catch (err) {
        if (isCellgateError(err, "CG_ERR_API_AUTH")) throw err;
        await sleep(Math.min(left, interval), clock); // the feed is away: read the SIM meanwhile
      }
    } else {
      await sleep(Math.min(left, interval), clock);
      interval = Math.min(5000, interval * 1.5);
    }
    try {
      state = await o.api.simState(o.target.sid);
    } catch (err) {
      if (!isCellgateError(err, "CG_ERR_API_UNAVAILABLE")) throw err; // a SIM read that failed for good; else read again
    }
  }
  return { state, done: true };
}
