import { describe, expect, it } from "vitest";
import { INITIAL_LADDER, ladderNext, type LadderConfig, type LadderEvent, type LadderState } from "../../src/modem/index.js";

const CFG: LadderConfig = { timeoutsToAct: 3, cooldownMs: 1000, maxResets: 2, resetWindowMs: 10_000 };

/** Runs events through the ladder; returns the actions in order and the final state. */
function play(events: LadderEvent[], start: LadderState = INITIAL_LADDER) {
  let s = start;
  const actions: string[] = [];
  for (const e of events) {
    const r = ladderNext(s, e, CFG);
    s = r.state;
    if (r.action)
      actions.push(
        r.action.type === "give-up" ? "give-up" : r.action.type === "refused" ? "refused" : `${r.action.type}:${r.action.step}`,
      );
  }
  return { actions, state: s };
}

const timeout = (consecutive: number, now = 0): LadderEvent => ({ type: "timeout", consecutive, now });
const done = (step: "resync" | "reset" | "reopen", ok: boolean, now = 0): LadderEvent => ({ type: "step-done", step, ok, now });

describe("recovery ladder", () => {
  it("holds every step while the module updates its firmware, and climbs again once the hold is lifted or ran out", () => {
    const hold = (until: number | null, now = 0): LadderEvent => ({ type: "hold", until, now });
    const held = play([hold(60_000), timeout(3, 1000), timeout(5, 13_000), { type: "reset-requested", now: 13_000 }]);
    expect(held.actions).toEqual(["refused"]); // no resync, no reset: only the Command's reset refused
    expect(held.state.mode.kind).toBe("healthy");
    expect(play([hold(null, 20_000), timeout(3, 20_000)], held.state).actions).toEqual(["run:resync"]);
    expect(play([timeout(3, 60_000)], held.state).actions).toEqual(["run:resync"]); // the hold ran out
  });

  it.each<[string, LadderEvent[], string[], LadderState["mode"]["kind"]]>([
    ["fewer timeouts than the threshold: nothing", [timeout(1), timeout(2)], [], "healthy"],
    ["threshold reached: resync", [timeout(3)], ["run:resync"], "recovering"],
    ["resync works", [timeout(3), done("resync", true)], ["run:resync", "recovered:resync"], "healthy"],
    ["resync fails: reset", [timeout(3), done("resync", false)], ["run:resync", "run:reset"], "recovering"],
    [
      "reset works",
      [timeout(3), done("resync", false), done("reset", true)],
      ["run:resync", "run:reset", "recovered:reset"],
      "healthy",
    ],
    [
      "reset fails: reopen",
      [timeout(3), done("resync", false), done("reset", false)],
      ["run:resync", "run:reset", "run:reopen"],
      "recovering",
    ],
    [
      "everything fails: give up and cool down",
      [timeout(3), done("resync", false), done("reset", false), done("reopen", false)],
      ["run:resync", "run:reset", "run:reopen", "give-up"],
      "cooldown",
    ],
    ["timeouts while a step runs do not start another", [timeout(3), timeout(4), timeout(5)], ["run:resync"], "recovering"],
    ["a step-done for another step is ignored", [timeout(3), done("reset", true)], ["run:resync"], "recovering"],
    ["a reset asked for while healthy: the reset step", [{ type: "reset-requested", now: 0 }], ["run:reset"], "recovering"],
    [
      "a reset asked for works",
      [{ type: "reset-requested", now: 0 }, done("reset", true)],
      ["run:reset", "recovered:reset"],
      "healthy",
    ],
    [
      "a reset asked for fails: the ladder goes on to reopen",
      [{ type: "reset-requested", now: 0 }, done("reset", false)],
      ["run:reset", "run:reopen"],
      "recovering",
    ],
    [
      "a reset asked for while a step runs is refused",
      [timeout(3), { type: "reset-requested", now: 0 }],
      ["run:resync", "refused"],
      "recovering",
    ],
  ])("%s", (_label, events, actions, mode) => {
    const r = play(events);
    expect(r.actions).toEqual(actions);
    expect(r.state.mode.kind).toBe(mode);
  });

  it("cools down, then may start again; an answer ends the cooldown early", () => {
    const failed = play([timeout(3), done("resync", false), done("reset", false), done("reopen", false, 100)]).state;
    expect(failed.mode).toEqual({ kind: "cooldown", until: 1100 });
    expect(play([timeout(9, 500)], failed).actions).toEqual([]);
    expect(play([{ type: "tick", now: 1100 }, timeout(3, 1200)], failed).actions).toEqual(["run:resync"]);
    expect(play([{ type: "answered", now: 200 }], failed).state.mode.kind).toBe("healthy");
  });

  it("limits resets per window: past the limit the ladder goes from resync straight to reopen", () => {
    const twoResets: LadderState = { mode: { kind: "healthy" }, resets: [100, 200] };
    expect(play([timeout(3, 300), done("resync", false, 300)], twoResets).actions).toEqual(["run:resync", "run:reopen"]);
    // Once the window has passed, resets are allowed again.
    expect(play([timeout(3, 20_000), done("resync", false, 20_000)], twoResets).actions).toEqual(["run:resync", "run:reset"]);
  });

  it("a reset asked for counts against the same limit, and is refused past it", () => {
    const twoResets: LadderState = { mode: { kind: "healthy" }, resets: [100, 200] };
    const r = ladderNext(twoResets, { type: "reset-requested", now: 300 }, CFG);
    expect(r.action).toEqual({ type: "refused", reason: "2 resets in the last 0 min (the limit)" });
    expect(r.state.mode.kind).toBe("healthy");
    expect(play([{ type: "reset-requested", now: 50 }]).state.resets).toEqual([50]);
  });

  it("records each reset it runs", () => {
    expect(play([timeout(3, 5), done("resync", false, 7)]).state.resets).toEqual([7]);
  });
});
