import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ManualClock, silentLogger } from "../../src/core/index.js";
import { INITIAL_LINK, LadderStore, LinkWatchdog, type LinkFacts, type LinkStep } from "../../src/link/index.js";

// The watchdog with the bridge probe (its state is a value here), a manual clock and steps that
// record themselves: what it does with the module's own reports and the carrier's view.
const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

function rig(o: { facts?: Partial<Pick<LinkFacts, "registration" | "carrier">> } = {}) {
  const dir = mkdtempSync(join(tmpdir(), "cellgate-link-"));
  dirs.push(dir);
  const clock = new ManualClock(Date.parse("2026-11-30T12:00:00Z"));
  let bridgeUp = true;
  const taken: LinkStep[] = [];
  const events: Array<{ type: string; detail: string; extra?: Record<string, unknown> }> = [];
  const sms: string[] = [];
  const holds: Array<number | null> = [];
  let redials = 0;
  const step = (s: LinkStep) => () => Promise.resolve(void taken.push(s)).then(() => ({ ok: true, detail: `${s} ran` }));
  const store = new LadderStore(dir, silentLogger);
  const wd = new LinkWatchdog({
    store,
    state: INITIAL_LINK,
    policy: {
      failures: 2,
      recover: ["reattach", "cfun", "modem-reset", "reboot"],
      minIntervalMs: { reattach: 60_000, cfun: 60_000, "modem-reset": 60_000, reboot: 3_600_000 },
      maxRebootsPerDay: 1,
    },
    probe: { kind: "bridge" },
    bearer: "module",
    intervalMs: 10_000,
    bridge: () => ({ up: bridgeUp, since: 0 }),
    facts: () => ({ registration: { state: "roaming" }, carrier: null, ...o.facts }),
    steps: { reattach: step("reattach"), cfun: step("cfun"), "modem-reset": step("modem-reset"), reboot: step("reboot") },
    redial: () => Promise.resolve({ ok: true, detail: `redial ${++redials}` }),
    holdModemRecovery: (until) => void holds.push(until),
    event: (type, detail, extra) => void events.push({ type, detail, ...(extra ? { extra } : {}) }),
    sms: (t) => void sms.push(t),
    clock,
    log: silentLogger,
  });
  const probes = async (n: number) => {
    for (let i = 0; i < n; i++) {
      clock.advance(10_000);
      await wd.probeNow();
    }
  };
  return {
    wd,
    clock,
    taken,
    events,
    sms,
    holds,
    probes,
    store,
    setBridge: (up: boolean) => void (bridgeUp = up),
    redials: () => redials,
  };
}

describe("the link watchdog", () => {
  it("climbs, persists the climb before each step, and reports every step and the restoration", async () => {
    const r = rig();
    r.setBridge(false);
    await r.probes(3);
    expect(r.taken).toEqual(["reattach", "cfun"]);
    const saved = JSON.parse(readFileSync(r.store.path, "utf8")) as { taken: Record<string, number> };
    expect(Object.keys(saved.taken)).toEqual(["reattach", "cfun"]);
    r.setBridge(true);
    await r.probes(1);
    expect(r.events.map((e) => e.type)).toEqual([
      "link-down",
      "link-step",
      "link-step",
      "link-step",
      "link-step",
      "link-restored",
    ]);
    expect(r.wd.status()).toMatchObject({ mode: "up", summary: "up", counters: { cfun: { taken: 1, fixed: 1 } } });
  });

  it("a data cap: no step, health's reason, one SMS however long it lasts", async () => {
    const r = rig({ facts: { carrier: { simStatus: "active", dataEnabled: true, usagePercent: 100 } } });
    r.setBridge(false);
    await r.probes(6);
    expect(r.taken).toEqual([]);
    expect(r.sms).toHaveLength(1);
    expect(r.sms[0]).toMatch(/^link blocked: the plan's data limit is reached/);
    expect(r.wd.status().mode).toBe("held");
    expect(r.wd.status().summary).toMatch(/^blocked: the plan's data limit/);
  });

  it("attach throttled (%MDMEV: RESET LOOP): no step for 30 minutes, then the ladder", async () => {
    const r = rig();
    r.setBridge(false);
    r.wd.onDataEvent({ kind: "throttled", forMs: 30 * 60_000, line: "%MDMEV: RESET LOOP" });
    await r.probes(170); // 28 min 20 s
    expect(r.taken).toEqual([]);
    await r.probes(12);
    expect(r.taken[0]).toBe("reattach");
  });

  it("a firmware update holds the AT channel's ladder too, until the module is back with data", async () => {
    const r = rig();
    r.wd.onDataEvent({ kind: "fota", phase: "start", error: null, line: '+QIND: "FOTA","START"' });
    r.setBridge(false);
    await r.probes(5);
    r.wd.onDataEvent({ kind: "fota", phase: "end", error: null, line: '+QIND: "FOTA","END",0' });
    await r.probes(3); // the module restarts: still no step
    expect(r.taken).toEqual([]);
    expect(r.holds).toHaveLength(2);
    expect(typeof r.holds[0]).toBe("number");
    expect(r.holds[1]).toBeNull();
    r.setBridge(true);
    await r.probes(1);
    expect(r.events.at(-2)?.detail).toMatch(/firmware update over: recovery allowed again/);
    expect(r.events.at(-1)?.type).toBe("link-restored");
  });

  it("a network teardown is redialled at once; the module's own deactivation is left to the probe", async () => {
    const r = rig();
    r.wd.onDataEvent({ kind: "pdn-deact", by: "me", cid: 1, line: "+CGEV: ME PDN DEACT 1" });
    r.wd.onDataEvent({ kind: "pdn-deact", by: "nw", cid: 1, line: "+CGEV: NW PDN DEACT 1" });
    await Promise.resolve();
    await Promise.resolve();
    expect(r.redials()).toBe(1);
    expect(r.events.map((e) => e.type)).toEqual(["link-redial", "link-redial"]);
  });
});
