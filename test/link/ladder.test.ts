import { describe, expect, it } from "vitest";
import {
  allowedAt,
  diagnose,
  INITIAL_LINK,
  linkNext,
  parseProbe,
  resumed,
  type LadderAction,
  type LadderEvent,
  type LadderPolicy,
  type LadderState,
  type LinkFacts,
} from "../../src/link/index.js";

const S = 1000;
const POLICY: LadderPolicy = {
  failures: 3,
  recover: ["reattach", "cfun", "modem-reset", "reboot"],
  minIntervalMs: { reattach: 300 * S, cfun: 900 * S, "modem-reset": 1800 * S, reboot: 21_600 * S },
  maxRebootsPerDay: 3,
};

const fail = (now: number, extra: Partial<Extract<LadderEvent, { type: "probe" }>> = {}): LadderEvent => ({
  type: "probe",
  ok: false,
  detail: "tcp 127.0.0.1:9: ECONNREFUSED",
  now,
  ...extra,
});
const ok = (now: number): LadderEvent => ({ type: "probe", ok: true, detail: "connected", now });

/** Feeds events in order; every run step completes (failed) at once. Returns the state and the actions, as short strings. */
function play(events: LadderEvent[], p = POLICY, from: LadderState = INITIAL_LINK) {
  let s = from;
  const out: string[] = [];
  for (const e of events) {
    const r = linkNext(s, e, p);
    s = r.state;
    for (const a of r.actions) {
      out.push(short(a));
      if (a.type === "run") s = linkNext(s, { type: "step-done", step: a.step, ok: true, now: e.now }, p).state;
    }
  }
  return { s, out };
}

function short(a: LadderAction): string {
  if (a.type === "run") return `run ${a.step}`;
  if (a.type === "waiting") return `wait ${a.step}@${a.until / S}`;
  if (a.type === "held") return `held ${a.hold.kind}`;
  if (a.type === "restored") return `restored [${a.after.join(",")}]`;
  return a.type;
}

describe("the data-path ladder", () => {
  it.each([
    ["two failures are not enough (failures: 3)", [fail(0), fail(300 * S)], []],
    ["the third failure takes the lightest step", [fail(0), fail(1), fail(2)], ["down", "run reattach"]],
    [
      "each further failure climbs one step, in order",
      [fail(0), fail(1), fail(2), fail(3), fail(4), fail(5)],
      ["down", "run reattach", "run cfun", "run modem-reset", "run reboot"],
    ],
    [
      "a success after steps restores and names them",
      [fail(0), fail(1), fail(2), fail(3), ok(4)],
      ["down", "run reattach", "run cfun", "restored [reattach,cfun]"],
    ],
    ["a success before the threshold restores nothing", [fail(0), fail(1), ok(2)], []],
  ])("%s", (_name, events, expected) => {
    expect(play(events).out).toEqual(expected);
  });

  it("takes nothing twice within its minimum interval: past the top it waits for the first step allowed again", () => {
    const steps = [fail(0), fail(1), fail(2), fail(3), fail(4), fail(5), fail(6), fail(7)];
    const { out, s } = play(steps);
    // reattach ran at t = 2 ms: allowed again 300 s later; cfun, modem-reset and reboot later still.
    expect(out.slice(-2)).toEqual(["run reboot", "wait reattach@300.002"]);
    expect(s.mode).toMatchObject({ kind: "waiting", until: 300 * S + 2 });
    expect(play([fail(300 * S + 1)], POLICY, s).out).toEqual([]); // same wait, said once
    // Once reattach is allowed again the ladder starts over from the lightest step.
    expect(play([fail(300 * S + 2)], POLICY, s).out).toEqual(["run reattach"]);
  });

  it("skips a step still rate-limited from an earlier climb, to the next one allowed", () => {
    const first = play([fail(0), fail(1), fail(2), ok(3)]).s; // reattach at 2
    const again = play([fail(100 * S), fail(101 * S), fail(102 * S)], POLICY, first);
    expect(again.out).toEqual(["down", "run cfun"]);
  });

  it("backs off between reboots exponentially and caps them at maxRebootsPerDay", () => {
    const p: LadderPolicy = {
      ...POLICY,
      recover: ["reboot"],
      failures: 1,
      minIntervalMs: { ...POLICY.minIntervalMs, reboot: 60 * S },
    };
    let { s } = play([fail(0)], p);
    expect(s.taken.reboot).toBe(0);
    expect(allowedAt(s, "reboot", p, 1)).toBe(120 * S); // streak 1: 2 × 60 s
    s = play([fail(120 * S)], p, s).s;
    expect(allowedAt(s, "reboot", p, 120 * S)).toBe(120 * S + 240 * S); // streak 2: 4 × 60 s
    s = play([fail(360 * S)], p, s).s;
    expect(s.reboots).toHaveLength(3);
    // The daily cap: the fourth waits for the first to leave the 24 h window.
    expect(allowedAt(s, "reboot", p, 10_000 * S)).toBe(86_400 * S);
  });

  it("a hold stops the climb and says why once; when it goes the count starts again, then the ladder climbs", () => {
    const hold = { kind: "blocked" as const, reason: "the SIM is suspended in the account" };
    const { out, s } = play([fail(0, { hold }), fail(1, { hold }), fail(2, { hold }), fail(3, { hold })]);
    expect(out).toEqual(["held blocked"]);
    expect(s.mode.kind).toBe("held");
    // The module may reattach by itself once the cause is gone: `failures` fresh probes before a step.
    const after = play([fail(4), fail(5)], POLICY, s);
    expect(after.out).toEqual([]);
    expect(after.s.mode.kind).toBe("failing");
    expect(play([fail(6)], POLICY, after.s).out).toEqual(["down", "run reattach"]);
  });

  it("a cause that needs one step takes it at once (a re-activated SIM needs a CFUN cycle)", () => {
    expect(play([fail(0, { direct: { step: "cfun", reason: "EMM #7" } })]).out).toEqual(["down", "run cfun"]);
  });

  it("what a cause needs done first travels with its step", () => {
    const r = linkNext(INITIAL_LINK, fail(0, { direct: { step: "cfun", reason: "FPLMN", fix: "selection" } }), POLICY);
    expect(r.actions.find((a) => a.type === "run")).toEqual({ type: "run", step: "cfun", reason: "FPLMN", fix: "selection" });
  });

  it("a step interrupted by a kill counts as taken after the restart, not as running", () => {
    const r = linkNext(play([fail(0), fail(1)]).s, fail(2), POLICY);
    expect(r.state.mode.kind).toBe("recovering");
    const back = resumed(JSON.parse(JSON.stringify(r.state)) as LadderState);
    expect(back.mode.kind).toBe("down");
    expect(play([fail(3)], POLICY, back).out).toEqual(["run cfun"]);
  });
});

const CARRIER = { simStatus: "active", dataEnabled: true, usagePercent: 10 };
const facts = (over: Partial<LinkFacts>): LinkFacts => ({
  now: 0,
  registration: { state: "roaming" },
  carrier: CARRIER,
  fota: null,
  throttledUntil: null,
  selection: null,
  tried: [],
  ...over,
});

describe("what explains a failure", () => {
  it.each<[string, Partial<LinkFacts>, string]>([
    ["nothing: climb", {}, "none"],
    [
      "a suspended SIM: blocked",
      { carrier: { simStatus: "suspended", dataEnabled: true, usagePercent: 1 } },
      "hold blocked sim-status",
    ],
    [
      "data disabled on the plan: blocked",
      { carrier: { simStatus: "active", dataEnabled: false, usagePercent: 1 } },
      "hold blocked data-disabled",
    ],
    [
      "the data cap: blocked",
      { carrier: { simStatus: "active", dataEnabled: true, usagePercent: 100 } },
      "hold blocked data-cap",
    ],
    ["a firmware update: wait", { fota: { since: 0 } }, "hold wait fota"],
    ["attach throttled: wait", { throttledUntil: 60_000 }, "hold wait throttled"],
    ["throttling over: climb", { throttledUntil: -1 }, "none"],
    [
      "the carrier refused an attach for rate limiting (Twilio 83703) 10 min ago: wait",
      { now: Date.parse("2026-11-30T12:10:00Z"), carrier: { ...CARRIER, attachRefusedAt: "2026-11-30T12:00:00Z" } },
      "hold wait throttled",
    ],
    [
      "the carrier's refusal 31 min ago: climb",
      { now: Date.parse("2026-11-30T12:31:00Z"), carrier: { ...CARRIER, attachRefusedAt: "2026-11-30T12:00:00Z" } },
      "none",
    ],
    ["denied, EMM #7 (re-activated SIM): a CFUN cycle", { registration: { state: "denied", rejectCause: 7 } }, "direct cfun"],
    [
      "denied, EMM #11 (forbidden network): blocked",
      { registration: { state: "denied", rejectCause: 11 } },
      "hold blocked denied",
    ],
    ["denied, no cause shown (+CEREG n < 3): a CFUN cycle", { registration: { state: "denied" } }, "direct cfun"],
    [
      "denied, and the account says suspended: blocked by the account",
      { registration: { state: "denied" }, carrier: { simStatus: "suspended", dataEnabled: true, usagePercent: 1 } },
      "hold blocked sim-status",
    ],
    ["no carrier view: the modem's facts decide", { carrier: null }, "none"],
    [
      "denied, EMM #11, the network on the SIM's forbidden list: the list cleared in a CFUN cycle",
      { registration: { state: "denied", rejectCause: 11 }, selection: { manual: false, forbidden: ["310260"] } },
      "direct cfun selection",
    ],
    [
      "searching, locked to one network by hand: automatic selection in a CFUN cycle",
      { registration: { state: "searching" }, selection: { manual: true, forbidden: [] } },
      "direct cfun selection",
    ],
    [
      "denied, EMM #11, the list cleared and the radio cycled already: blocked",
      {
        registration: { state: "denied", rejectCause: 11 },
        selection: { manual: false, forbidden: ["310260"] },
        tried: ["cfun"],
      },
      "hold blocked denied",
    ],
    [
      "denied, EMM #11, automatic selection and an empty list: nothing on the gateway to fix",
      { registration: { state: "denied", rejectCause: 11 }, selection: { manual: false, forbidden: [] } },
      "hold blocked denied",
    ],
    [
      "registered, with networks on the forbidden list: those are the network's business",
      { selection: { manual: false, forbidden: ["26201"] } },
      "none",
    ],
    [
      "searching, the SIM file unreadable: climb as usual",
      { registration: { state: "searching" }, selection: { manual: false, forbidden: null } },
      "none",
    ],
    [
      "a suspended SIM outranks the forbidden list",
      {
        registration: { state: "denied", rejectCause: 11 },
        selection: { manual: false, forbidden: ["310260"] },
        carrier: { simStatus: "suspended", dataEnabled: true, usagePercent: 1 },
      },
      "hold blocked sim-status",
    ],
  ])("%s", (_name, over, expected) => {
    const d = diagnose(facts(over));
    const direct = d.kind === "direct" ? `direct ${d.step}${d.fix ? ` ${d.fix}` : ""}` : "";
    const got = d.kind === "hold" ? `hold ${d.hold.kind} ${d.cause}` : d.kind === "direct" ? direct : d.kind;
    expect(got).toBe(expected);
  });
});

describe("the probe's form", () => {
  it.each([
    ["bridge", { kind: "bridge" }],
    ["none", { kind: "none" }],
    ["tcp://127.0.0.1:8883", { kind: "tcp", host: "127.0.0.1", port: 8883 }],
    ["dns://example.com", { kind: "dns", name: "example.com" }],
  ])("%s", (text, spec) => expect(parseProbe(text)).toEqual(spec));

  it.each(["tcp://host:0", "tcp://host:70000", "ping://x", "tcp://host"])("%s is refused with its key named", (text) => {
    expect(() => parseProbe(text)).toThrow(/link\.probe/);
  });
});
