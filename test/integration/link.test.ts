import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DataPlane, type DataFaults } from "../../src/sim/modem/index.js";
import { quietPort } from "../helpers/broker.js";
import { cleanEnv, exited, runCli } from "../helpers/daemon-proc.js";
import { e2eWorld, type E2eWorld } from "../helpers/e2e.js";
import { DETECT_MS, FAILURES, INTERVAL_S, KEY, fastLadder, timeline } from "../helpers/link-world.js";
import { waitFor } from "../helpers/pty-modem.js";

// The data-path watchdog end to end (test/helpers/link-world.ts): each fault fixed by its step, and
// the ladder's limits against a closed port. The holds no step can lift are in link-holds.test.ts.
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

  it("stuck searching (+CEREG: 2 with a network in range): reattach tried first, then the airplane cycle fixes it", async () => {
    const r = await fixed(() => faults.stuckSearching(), "a module stuck searching");
    expect(r.detectMs).toBeLessThanOrEqual(DETECT_MS);
    expect(r.steps).toEqual(["reattach", "cfun"]);
    expect(t.since(r.m, "link-held")).toEqual([]); // nothing in its selection to undo, no hold
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
    const out = await runCli(["status", "--socket", socket(), "--json", "--fresh"], env());
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
