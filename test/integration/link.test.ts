import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DataFaults, DataPlane } from "../../src/sim/modem/index.js";
import { quietPort } from "../helpers/broker.js";
import { cleanEnv, exited, runCli } from "../helpers/daemon-proc.js";
import { e2eWorld, type E2eWorld } from "../helpers/e2e.js";
import { waitFor } from "../helpers/pty-modem.js";

// The data-path watchdog end to end: `cellgate run` as a child process, the simulated EC25 on a
// pty, the Wireless API simulator, a real broker, and the far end of the data path as a loopback
// TCP port that is open only while the simulated module carries data (DataPlane). Intervals are
// short through the configuration; every wait is for an event, a file or a state.
const INTERVAL_S = 1;
const FAILURES = 2;
const KEY = "link test command key: 0123456789abcdef";

interface Seen {
  at: number;
  json: Record<string, unknown>;
}

/** The `events` topic with the arrival time of each message, and the module's command lines with theirs. */
function timeline(w: E2eWorld) {
  const events: Seen[] = [];
  const commands: Array<{ at: number; line: string }> = [];
  w.app.client.on("message", (topic, payload) => {
    if (topic === `${w.prefix}/events`)
      events.push({ at: Date.now(), json: JSON.parse(payload.toString()) as Record<string, unknown> });
  });
  w.modem.sim.events.on("command", (line) => commands.push({ at: Date.now(), line: line.toUpperCase() }));
  const mark = () => ({ events: events.length, commands: commands.length, at: Date.now() });
  type Mark = ReturnType<typeof mark>;
  const since = (m: Mark, type?: string) => events.slice(m.events).filter((e) => type === undefined || e.json.type === type);
  const steps = (m: Mark) =>
    since(m, "link-step")
      .filter((e) => e.json.phase === "start")
      .map((e) => e.json.step as string);
  const sent = (m: Mark) => commands.slice(m.commands).map((c) => c.line);
  // On a timeout the error lists what did come, to see where the ladder went instead.
  const until = (m: Mark, type: string, what: string, ms = 60_000) =>
    waitFor(() => since(m, type).length > 0, ms, `${what} (${type})`).then(
      () => since(m, type)[0]!,
      (err: Error) => {
        throw new Error(
          `${err.message}; events since: ${since(m)
            .map((e) => `${String(e.json.type)}: ${String(e.json.detail)}`)
            .join(" | ")}`,
        );
      },
    );
  return { events, mark, since, steps, sent, until };
}

/**
 * A gateway whose probe is a TCP connect to the simulated data plane on `port`, every step allowed
 * again after 1 s (the reboot left out), started with the data flowing. `before` runs before the daemon.
 */
async function fastLadder(o: { id: string; personality?: string; before?: (w: E2eWorld) => void }) {
  // Closed for much of the test: outside the ephemeral range, so no other listener can take it meanwhile.
  const port = await quietPort();
  const w = await e2eWorld({
    id: o.id,
    key: KEY,
    ...(o.personality ? { personality: o.personality } : {}),
    yaml: () => [
      "link:",
      "  bearer: module",
      `  probe: tcp://127.0.0.1:${port}`,
      `  intervalS: ${INTERVAL_S}`,
      `  failures: ${FAILURES}`,
      "  recover: [reattach, cfun, modem-reset]",
      "  minIntervalS: { reattach: 1, cfun: 1, modem-reset: 1, reboot: 3600 }",
    ],
  });
  const plane = await DataPlane.start(w.modem.sim, { port });
  const t = timeline(w);
  o.before?.(w);
  const m = t.mark();
  w.start();
  await t.until(m, "started", "the daemon to start", 30_000);
  return { w, plane, faults: new DataFaults(w.modem.sim), t, m };
}

/** Detected within failures × interval, plus the interval a fault may fall into just after a probe, plus a loaded machine's slack. */
const DETECT_MS = (FAILURES + 1) * INTERVAL_S * 1000 + 3000;

describe("the data-path ladder on the real daemon: each fault fixed by its step", () => {
  let w: E2eWorld;
  let plane: DataPlane;
  let faults: DataFaults;
  let t: ReturnType<typeof timeline>;
  const socket = () => join(w.dir, "control.sock");
  const env = () =>
    cleanEnv({ TWILIO_ACCOUNT_SID: w.api.credentials.accountSid, TWILIO_AUTH_TOKEN: w.api.credentials.authToken });

  beforeAll(async () => {
    // A context left from another SIM (field failure 11): rewritten for the product before the bearer comes up;
    // and a stray one another program activated (cid 2, "ims"): data may leave through it, which is reported.
    const stale = (g: E2eWorld) => {
      g.modem.sim.world.settings.pdp = [
        { cid: 1, type: "IP", apn: "ims" },
        { cid: 2, type: "IPV4V6", apn: "ims" },
      ];
      g.modem.sim.world.net.otherActive = [2];
    };
    let m: ReturnType<typeof t.mark>;
    ({ w, plane, faults, t, m } = await fastLadder({ id: "link-gw", before: stale }));
    expect((await t.until(m, "link-contexts", "the stray context reported", 20_000)).json.stray).toEqual([2]);
    // The bearer is brought up the module's way once the port is open.
    await waitFor(() => t.sent(m).includes("AT+QNETDEVCTL=1,1,1"), 20_000, "the module's interface brought up");
    const sent = t.sent(m);
    expect(sent.indexOf('AT+CGDCONT=1,"IP","WIRELESS.TWILIO.COM"')).toBeGreaterThan(-1);
    expect(sent.indexOf('AT+CGDCONT=1,"IP","WIRELESS.TWILIO.COM"')).toBeLessThan(sent.indexOf("AT+QNETDEVCTL=1,1,1"));
    await waitFor(() => plane.listening, 10_000, "data flowing");
  }, 90_000);

  afterAll(async () => {
    await plane?.close();
    await w?.close();
  });

  /** Injects a fault, waits for link-restored; returns the steps taken and how long detection took. */
  async function fixed(inject: () => void, what: string) {
    const m = t.mark();
    inject();
    const down = await t.until(m, "link-down", `${what} detected`, 30_000);
    await t.until(m, "link-restored", `${what} fixed`, 90_000);
    return { steps: t.steps(m), detectMs: down.at - m.at, sent: t.sent(m), m };
  }

  it("a dropped context (+CGACT: 1,0 while attached): re-activated by reattach, nothing heavier", async () => {
    const r = await fixed(() => faults.dropContext(), "a dropped context");
    expect(r.detectMs).toBeLessThanOrEqual(DETECT_MS);
    expect(r.steps).toEqual(["reattach"]);
    expect(r.sent).toContain("AT+CGACT=1,1");
    expect(t.since(r.m, "link-step").map((e) => e.json.phase)).toEqual(["start", "done"]);
  }, 120_000);

  it("a stale address: reattach tried first, then the airplane cycle fixes it", async () => {
    const r = await fixed(() => faults.staleAddress(), "a stale address");
    expect(r.detectMs).toBeLessThanOrEqual(DETECT_MS);
    expect(r.steps).toEqual(["reattach", "cfun"]);
    const order = ["AT+CGATT=0", "AT+CGATT=1", "AT+CFUN=4", "AT+CFUN=1"].map((c) => r.sent.indexOf(c));
    expect(order.every((i, k) => i >= 0 && (k === 0 || i > order[k - 1]!))).toBe(true);
  }, 120_000);

  it("a blackholed path (+CGATT: 1, an address, nothing passes): reattach, cfun, then the reset fixes it", async () => {
    const r = await fixed(() => faults.blackhole(), "a blackholed path");
    expect(r.detectMs).toBeLessThanOrEqual(DETECT_MS);
    expect(r.steps).toEqual(["reattach", "cfun", "modem-reset"]);
    expect(r.sent).toContain("AT+CFUN=1,1");
  }, 120_000);

  it("the network tears the context down (EC25: +CGEV: NW DEACT): redialled at once, no ladder", async () => {
    const m = t.mark();
    faults.dropContext({ byNetwork: true });
    const done = await waitFor(() => t.since(m, "link-redial").some((e) => e.json.phase === "done"), 20_000, "the redial").then(
      () => Date.now(),
    );
    expect(t.sent(m)).toContain("AT+CGACT=1,1");
    await waitFor(() => plane.listening, 10_000, "data flowing again");
    expect(done - m.at).toBeLessThan(FAILURES * INTERVAL_S * 1000 + 2000); // before the probes could call it down
    expect(t.steps(m)).toEqual([]);
  }, 60_000);

  it("a re-activated SIM still denied (EMM reject): one CFUN cycle, not the ladder from the bottom", async () => {
    const r = await fixed(() => faults.rejectSim(7), "a SIM denied after re-activation");
    expect(r.steps).toEqual(["cfun"]);
  }, 120_000);

  it("the serving network on the SIM's forbidden list (EF_FPLMN): the list emptied in one CFUN cycle, nothing heavier", async () => {
    const r = await fixed(() => faults.forbidServingNetwork(), "a forbidden serving network");
    expect(r.steps).toEqual(["cfun"]);
    const empty = 'AT+CRSM=214,28539,0,0,12,"FFFFFFFFFFFFFFFFFFFFFFFF"';
    const order = ["AT+CRSM=176,28539,0,0,12", empty, "AT+CFUN=4", "AT+CFUN=1"].map((c) => r.sent.indexOf(c));
    expect(
      order.every((i, k) => i >= 0 && (k === 0 || i > order[k - 1]!)),
      r.sent.join(" "),
    ).toBe(true);
    expect(r.sent).not.toContain("AT+COPS=0"); // automatic selection all along
    const done = t.since(r.m, "link-step").find((e) => e.json.phase === "done")!;
    expect(String(done.json.detail)).toMatch(/forbidden-network list cleared \(it held 310260\)/);
    expect(w.modem.sim.world.sim.fplmn).toEqual([]);
  }, 120_000);

  it("+CREG: 0,3 on a data-only SIM is not a failure", async () => {
    const m = t.mark();
    const probes = plane.accepted;
    w.modem.sim.setNetwork({ cs: 3 });
    const out = await runCli(["status", "--socket", socket(), "--json"], env());
    const status = JSON.parse(out.stdout) as {
      checks: Array<{ id: string; status: string }>;
      modem: { registration: { cs?: { state: string } } };
    };
    expect(status.modem.registration.cs?.state).toBe("denied");
    expect(status.checks.find((c) => c.id === "data-path")?.status).toBe("pass");
    // More probes than it takes to call the path down, all through while the CS domain says denied.
    await waitFor(() => plane.accepted > probes + FAILURES, DETECT_MS + 5000, `${FAILURES + 1} probes`);
    expect(t.since(m, "link-down")).toEqual([]);
    expect(t.since(m, "link-step")).toEqual([]);
    w.modem.sim.setNetwork({ cs: 5 });
  }, 60_000);

  it("a firmware update (+QIND: FOTA START, then silence): waited out, never reset", async () => {
    const m = t.mark();
    // The data path is down all along (the module is silent): the data-path ladder must not act. That the AT
    // channel's own ladder is held too (it needs more than 20 s of silence to reach its reset here) is shown on
    // its table, test/modem/recovery-ladder.test.ts.
    const update = faults.firmwareUpdate(8000);
    const held = await t.until(m, "link-held", "the hold", 10_000);
    expect(held.json.cause).toBe("fota");
    await update;
    await t.until(m, "link-restored", "data back after the update", 60_000);
    expect(t.steps(m)).toEqual([]);
    expect(t.sent(m).filter((l) => /^AT\+CFUN=1,1$/.test(l))).toEqual([]);
  }, 90_000);

  it("the plan's data limit reached: no step, reported once by SMS; the limit lifted, the ladder fixes the path", async () => {
    const m = t.mark();
    const texts = w.fromSim().length;
    const sim = w.api.gatewaySim;
    const plan = w.api.store.ratePlans.find((p) => p.sid === sim.ratePlanSid)!;
    // Counted a little in the past: usage is asked up to now at the API's one-second precision, so
    // traffic of the current second is not in it yet (with the CLI bundled, the query comes that fast).
    const at = Date.now() - 2000;
    const over = { kind: "data" as const, simSid: sim.sid, at, upload: plan.dataLimit * 1_000_000, download: 0 };
    w.api.store.traffic.push(over);
    await runCli(["sim", "--socket", socket(), "--json"], env()); // the daemon fetches the carrier's view now
    faults.dropContext();
    const held = await t.until(m, "link-held", "the hold", 30_000);
    expect(held.json.cause).toBe("data-cap");
    const reported = () =>
      w
        .fromSim()
        .slice(texts)
        .filter((c) => /^link blocked: the plan's data limit is reached/.test(c));
    await waitFor(() => reported().length > 0, 30_000, "the report by SMS");
    expect(t.steps(m)).toEqual([]);
    w.api.store.traffic.splice(w.api.store.traffic.indexOf(over), 1);
    await runCli(["sim", "--socket", socket(), "--json"], env());
    await t.until(m, "link-restored", "the path fixed once the limit is lifted", 60_000);
    expect(t.steps(m)).toEqual(["reattach"]);
    expect(reported()).toHaveLength(1);
  }, 120_000);

  it("a SIM suspended in the account blocks the ladder and health says why; reactivated, the ladder fixes the path", async () => {
    const m = t.mark();
    w.api.gatewaySim.status = "suspended";
    const sim = await runCli(["sim", "--socket", socket(), "--json"], env()); // the daemon fetches the carrier's view now
    expect(JSON.parse(sim.stdout)).toMatchObject({ sim: { status: "suspended" } });
    faults.blackhole();
    const held = await t.until(m, "link-held", "the block", 30_000);
    expect(String(held.json.detail)).toMatch(/the SIM is suspended in the account: no modem action can fix it/);
    const out = await runCli(["status", "--socket", socket(), "--json"], env());
    const check = (JSON.parse(out.stdout) as { checks: Array<{ id: string; hint?: string }> }).checks.find(
      (c) => c.id === "data-path",
    );
    expect(check?.hint).toMatch(/no step taken: the SIM is suspended in the account.*Commands by SMS still reach/);
    expect(t.steps(m)).toEqual([]);
    w.api.gatewaySim.status = "active";
    await runCli(["sim", "--socket", socket(), "--json"], env());
    await t.until(m, "link-restored", "the path fixed after reactivation", 90_000);
    expect(t.steps(m)).toEqual(["reattach", "cfun", "modem-reset"]);
  }, 150_000);
});

describe("the data-path ladder against a closed loopback port: rate limits, a SIGKILL, link-restored", () => {
  let w: E2eWorld;
  let t: ReturnType<typeof timeline>;
  let port: number;
  let plane: DataPlane | undefined;

  beforeAll(async () => {
    port = await quietPort(); // closed for most of the test: see quietPort
    w = await e2eWorld({
      id: "link-kill",
      key: KEY,
      yaml: (dir) => [
        "link:",
        `  probe: tcp://127.0.0.1:${port}`,
        `  intervalS: ${INTERVAL_S}`,
        `  failures: ${FAILURES}`,
        "  minIntervalS: { reattach: 600, cfun: 600, modem-reset: 600, reboot: 3600 }",
        "  maxRebootsPerDay: 1",
        // The reboot path of the `reboot` Command, here a file the test can see.
        `commands:\n  reboot:\n    command: [touch, ${join(dir, "rebooted")}]`,
      ],
    });
    t = timeline(w);
  }, 60_000);

  afterAll(async () => {
    await plane?.close();
    await w?.close();
  });

  it("climbs once per step, keeps its climb across a SIGKILL, waits when all are rate-limited, stops when the port opens", async () => {
    const m = t.mark();
    w.start();
    await waitFor(() => t.steps(m).includes("cfun") && t.since(m, "link-step").length >= 4, 60_000, "reattach and cfun");
    expect(t.steps(m)).toEqual(["reattach", "cfun"]);
    // Killed without a chance to save anything more: what was written before each step must hold.
    const daemon = w.daemon()!;
    daemon.kill("SIGKILL");
    await exited(daemon);
    const again = t.mark();
    w.start();
    await t.until(again, "link-waiting", "every step rate-limited", 90_000);
    expect(t.steps(again)).toEqual(["modem-reset", "reboot"]); // reattach and cfun not retaken within 600 s
    expect(existsSync(join(w.dir, "rebooted"))).toBe(true);
    const all = t.steps(m);
    expect(new Set(all).size).toBe(all.length); // nothing twice within its minimum interval
    // The far end comes back: the ladder stops and says so.
    const open = t.mark();
    plane = await DataPlane.start(w.modem.sim, { port });
    const restored = await t.until(open, "link-restored", "link-restored", 20_000);
    expect(restored.json.after).toEqual(["reattach", "cfun", "modem-reset", "reboot"]); // the climb survived the kill
    expect(t.steps(open)).toEqual([]);
  }, 180_000);
});

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
