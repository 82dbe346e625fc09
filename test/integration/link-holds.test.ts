import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DataFaults, DataPlane } from "../../src/sim/modem/index.js";
import { cleanEnv, runCli } from "../helpers/daemon-proc.js";
import type { E2eWorld } from "../helpers/e2e.js";
import { DETECT_MS, FAILURES, fastLadder, type timeline } from "../helpers/link-world.js";
import { waitFor } from "../helpers/pty-modem.js";

// The data-path watchdog end to end (test/helpers/link-world.ts): what a module or the carrier says
// that explains a failure, and the step it needs or the hold it imposes.
describe("holds a modem action cannot lift, on an nRF91 (it names the reject cause: +CEREG=5)", () => {
  let w: E2eWorld;
  let t: ReturnType<typeof timeline>;
  let plane: DataPlane;
  let faults: DataFaults;
  const socket = () => join(w.dir, "control.sock");

  beforeAll(async () => {
    ({ w, plane, faults, t } = await fastLadder({ id: "link-nrf", personality: "nordic-nrf9160" }));
    await waitFor(
      () => plane.listening && w.modem.sim.world.settings.vendor.mdmev === 1,
      30_000,
      "data flowing, events subscribed",
    );
  }, 90_000);

  afterAll(async () => {
    await plane?.close();
    await w?.close();
  });

  it("a forbidden network (EMM #11): no step, health says why; allowed again, data is back without a step", async () => {
    const m = t.mark();
    const { eps, ps } = w.modem.sim.world.net;
    w.modem.sim.setNetwork({ eps: 3, ps: 3, rejectCause: 11 });
    const held = await t.until(m, "link-held", "the hold", 30_000);
    expect(held.json.cause).toBe("denied");
    expect(String(held.json.detail)).toMatch(/EMM cause #11, PLMN not allowed\): no reset changes it/);
    const out = await runCli(["status", "--socket", socket(), "--json"], cleanEnv({}));
    const check = (JSON.parse(out.stdout) as { checks: Array<{ id: string; hint?: string }> }).checks.find(
      (c) => c.id === "data-path",
    );
    expect(check?.hint).toMatch(/no step taken: the network denies registration.*Commands by SMS still reach/);
    const text = await runCli(["status", "--socket", socket()], cleanEnv({})); // the data path in one field, for a person
    expect(text.stdout).toMatch(/^data path: blocked$/m);
    w.modem.sim.setNetwork({ eps, ps, rejectCause: null });
    await t.until(m, "link-restored", "data back once the network allows it", 30_000);
    expect(t.steps(m)).toEqual([]);
  }, 90_000);

  it("locked by hand to a network that rejects the SIM (+COPS: 1): automatic selection in one CFUN cycle", async () => {
    const m = t.mark();
    faults.lockOperator("310410");
    const step = await t.until(m, "link-step", "the step", 30_000);
    expect(String(step.json.reason)).toMatch(/locked to one network by hand/);
    await t.until(m, "link-restored", "data back on automatic selection", 60_000);
    expect(t.steps(m)).toEqual(["cfun"]);
    expect(t.sent(m).indexOf("AT+COPS=0")).toBeLessThan(t.sent(m).indexOf("AT+CFUN=4"));
    expect(t.sent(m)).not.toContain('AT+CRSM=214,28539,0,0,12,"FFFFFFFFFFFFFFFFFFFFFFFF"'); // the list was empty
    expect(w.modem.sim.world.net.selected).toBeNull();
  }, 90_000);

  it("attach throttled (%MDMEV: RESET LOOP): the ladder backs off instead of climbing", async () => {
    const m = t.mark();
    expect(faults.resetLoop()).toBe(true);
    expect((await t.until(m, "link-held", "the back-off", 10_000)).json.cause).toBe("throttled");
    await plane.forceDown(true); // the data path fails while attach is blocked
    // After `failures` failed probes the ladder holds instead of climbing, for the throttle's 30 minutes.
    const wait = (e: { json: Record<string, unknown> }) => (e.json.hold as { kind?: string } | undefined)?.kind === "wait";
    await waitFor(() => t.since(m, "link-held").some(wait), 30_000, "the hold on a failed probe");
    expect(t.since(m, "link-held").find(wait)!.json.cause).toBe("throttled");
    expect(t.steps(m)).toEqual([]);
    const out = await runCli(["status", "--socket", socket(), "--json"], cleanEnv({}));
    expect(out.stdout).toMatch(/no step taken: attach attempts are throttled: backing off until/);
    expect((JSON.parse(out.stdout) as { dataPath: string }).dataPath).toBe("waiting");
    expect(t.steps(m)).toEqual([]);
    await plane.forceDown(false);
  }, 90_000);
});

describe("a Super SIM whose attaches the carrier refused for rate limiting (Twilio 83703)", () => {
  let w: E2eWorld;
  let t: ReturnType<typeof timeline>;
  let plane: DataPlane;
  const socket = () => join(w.dir, "control.sock");

  beforeAll(async () => {
    ({ w, plane, t } = await fastLadder({ id: "link-super", product: "super-sim" }));
    await waitFor(() => plane.listening, 30_000, "data flowing");
  }, 90_000);

  afterAll(async () => {
    await plane?.close();
    await w?.close();
  });

  it("the Monitor API's alert holds every step for the back-off; data back, nothing was taken", async () => {
    const m = t.mark();
    const alert = w.api.refuseAttach();
    const sim = await runCli(["sim", "--socket", socket()], cleanEnv({})); // the daemon's carrier view, read again
    expect(sim.stdout).toMatch(/attach +refused for rate limiting \(Twilio 83703\)/);
    await plane.forceDown(true);
    const held = await t.until(m, "link-held", "the back-off", 30_000);
    expect(held.json.cause).toBe("throttled");
    expect(String(held.json.detail)).toContain(`Twilio 83703 at ${new Date(alert.at).toISOString().slice(0, 19)}Z`);
    // More failed probes than it takes to climb (the daemon logs each at debug), and still no step.
    const failed = () => w.out.logs.split("data path probe failed").length - 1;
    const before = failed();
    await waitFor(() => failed() > before + FAILURES, DETECT_MS + 5000, `${FAILURES + 1} more failed probes`);
    expect(t.steps(m)).toEqual([]);
    const out = await runCli(["status", "--socket", socket(), "--json"], cleanEnv({}));
    expect((JSON.parse(out.stdout) as { dataPath: string }).dataPath).toBe("waiting");
    await plane.forceDown(false);
    await t.until(m, "link-restored", "data back", 30_000);
    expect(t.steps(m)).toEqual([]);
  }, 120_000);
});
