import { describe, expect, it } from "vitest";
import type { CarrierView } from "../../src/api/index.js";
import { assess, failing, type HealthInput, type Verdict } from "../../src/health/index.js";
import type { LinkStatus } from "../../src/link/index.js";
import type { ModemSnapshot } from "../../src/modem/index.js";

// Modem ⊕ carrier ⊕ local: a Twilio SIM roaming on T-Mobile, as the modem and the API report it.
const NOW = Date.parse("2026-11-26T12:00:00Z");
const modem = (): ModemSnapshot => ({
  at: "2026-11-26T12:00:00.000Z",
  answering: true,
  identity: {
    manufacturer: "Quectel",
    model: "EC25",
    revision: "EC25EFAR06A03M4G",
    imei: "866834040123452",
    iccid: "8988307000012345678",
    imsi: "310260123456789",
    vendor: "quectel",
  },
  sim: "ready",
  signal: { rssiDbm: -71, ber: null, rsrpDbm: -95, rsrqDb: -10, sinrDb: 12 },
  registration: {
    eps: { domain: "eps", stat: 5, state: "roaming", registered: true, roaming: true, tac: 0x2d18, ci: 0x3089f02, act: "lte" },
  },
  operator: { mode: 0, name: "T-Mobile", numeric: "310260", mcc: "310", mnc: "260", act: "lte" },
  attached: true,
  pdp: [{ cid: 1, type: "IP", apn: "wireless.twilio.com", address: "10.64.12.3" }],
  errors: {},
});
const carrier = (): CarrierView => ({
  product: "programmable-wireless",
  sim: {
    sid: "DE0123456789abcdef0123456789abcdef",
    uniqueName: "gateway-0001",
    iccid: "8988307000012345678",
    status: "active",
    resetStatus: null,
  },
  plan: {
    sid: "WP0123456789abcdef0123456789abcdef",
    name: "gateway-plan",
    dataEnabled: true,
    dataLimitMb: 500,
    messagingEnabled: true,
    nationalRoamingEnabled: true,
    internationalRoaming: ["data", "messaging"],
  },
  usage: {
    periodStart: "2026-11-01T00:00:00.000Z",
    periodEnd: "2026-11-26T12:00:00.000Z",
    dataBytes: 120_000_000,
    uploadBytes: 20_000_000,
    downloadBytes: 100_000_000,
    limitBytes: 500_000_000,
    percentOfLimit: 24,
    commandsFromSim: 2,
    commandsToSim: 3,
  },
  lastDataSession: {
    radioLink: "LTE",
    operatorName: "T-Mobile",
    operatorMcc: "310",
    operatorMnc: "260",
    cellId: "310-260-11544-50896642",
    start: "2026-11-26T09:00:00Z",
    end: null,
    lastUpdated: "2026-11-26T11:45:00Z",
    open: true,
  },
  errors: {},
});
const mqttUp = () => ({
  connected: true,
  forMs: 3_600_000,
  outbox: { depth: 0, oldestAgeS: null, dropped: { count: 0, bytes: 0, age: 0 } },
});

function run(change: (i: { m: ModemSnapshot; c: CarrierView; input: HealthInput }) => void) {
  const m = modem();
  const c = carrier();
  const input: HealthInput = {
    modem: { snapshot: m },
    now: NOW,
    product: "programmable-wireless",
    carrier: { view: c, ageMs: 60_000 },
    mqtt: mqttUp(),
    clock: { sync: "synced", via: "timedatectl: NTPSynchronized=yes", quality: "synced" },
  };
  change({ m, c, input });
  return assess(input);
}
const notRegistered = (m: ModemSnapshot, state: "denied" | "searching") =>
  void (m.registration = { eps: { domain: "eps", stat: state === "denied" ? 3 : 2, state, registered: false, roaming: false } });

describe("joint health: modem and carrier views", () => {
  it.each<[string, Parameters<typeof run>[0], Verdict, Record<string, string>, RegExp?]>([
    [
      "everything fine",
      () => {},
      "ok",
      {
        "carrier-sim": "pass",
        "carrier-plan": "pass",
        usage: "pass",
        "data-session": "pass",
        apn: "pass",
        mqtt: "pass",
        clock: "pass",
      },
    ],
    [
      "registered and attached but suspended in the account",
      ({ c }) => void (c.sim.status = "suspended"),
      "down",
      { "carrier-sim": "fail", registration: "pass" },
      /registered and attached on the network, but the SIM is suspended in the account: reactivate it/,
    ],
    [
      "denied by the network because the SIM is deactivated",
      ({ m, c }) => ((c.sim.status = "deactivated"), notRegistered(m, "denied"), (m.attached = false)),
      "down",
      { registration: "fail", "carrier-sim": "fail" },
    ],
    ["a new SIM not yet activated", ({ c }) => void (c.sim.status = "new"), "down", { "carrier-sim": "fail" }, /activate it/],
    ["status being changed", ({ c }) => void (c.sim.status = "updating"), "degraded", { "carrier-sim": "warn" }],
    [
      "data disabled on the rate plan, not attached",
      ({ m, c }) => ((c.plan!.dataEnabled = false), (m.attached = false)),
      "down",
      { "carrier-plan": "fail", attach: "fail" },
      /enable data on the rate plan gateway-plan/,
    ],
    [
      "roaming abroad on a plan without international data",
      ({ m, c }) => (
        (m.operator = { mode: 0, name: "Vodafone DE", numeric: "26202", mcc: "262", mnc: "02", act: "lte" }),
        (c.plan!.internationalRoaming = ["messaging"])
      ),
      "degraded",
      { "carrier-plan": "fail" },
      /international roaming/,
    ],
    [
      "roaming in the US on a plan without national roaming",
      ({ c }) => void (c.plan!.nationalRoamingEnabled = false),
      "degraded",
      { "carrier-plan": "fail" },
      /national roaming/,
    ],
    [
      "messaging disabled: Commands cannot arrive",
      ({ c }) => void (c.plan!.messagingEnabled = false),
      "degraded",
      { "carrier-plan": "warn" },
      /Commands \(SMS\) cannot reach/,
    ],
    [
      "usage at 85% of the limit",
      ({ c }) => ((c.usage!.dataBytes = 425_000_000), (c.usage!.percentOfLimit = 85)),
      "degraded",
      { usage: "warn" },
    ],
    [
      "usage over the limit",
      ({ c }) => ((c.usage!.dataBytes = 510_000_000), (c.usage!.percentOfLimit = 102)),
      "degraded",
      { usage: "fail" },
      /limit is reached/,
    ],
    [
      "attached, but the carrier has seen no data for a day",
      ({ c }) =>
        void (c.lastDataSession = {
          ...c.lastDataSession!,
          lastUpdated: "2026-11-25T10:00:00Z",
          end: "2026-11-25T10:00:00Z",
          open: false,
        }),
      "degraded",
      { "data-session": "warn" },
      /data path may be broken .* a modem reset usually clears it, else the carrier's Reset Connectivity/,
    ],
    [
      "the carrier shows a session the modem does not have",
      ({ m }) => void (m.attached = false),
      "down",
      { "data-session": "warn", attach: "fail" },
      /Reset Connectivity: cellgate remote sim --sim gateway-0001 --reset-connectivity --wait/,
    ],
    [
      "registered, not attached, the account active with data and no session: the carrier's lever",
      ({ m, c }) => (
        (m.attached = false),
        (c.lastDataSession = { ...c.lastDataSession!, open: false, end: "2026-11-25T10:00:00Z" })
      ),
      "down",
      { "data-session": "warn", attach: "fail" },
      new RegExp(
        "registered but no data, with nothing in the account to explain it: reset the modem \\(Command modem-reset\\), " +
          "then the carrier's Reset Connectivity: cellgate remote sim --sim gateway-0001",
      ),
    ],
    [
      "registered, not attached, but data off on the plan: the plan is the cause, not the lever",
      ({ m, c }) => ((m.attached = false), (c.plan!.dataEnabled = false), (c.lastDataSession = null)),
      "down",
      { "carrier-plan": "fail", "data-session": "unknown" },
    ],
    [
      "wrong APN",
      ({ m }) => void (m.pdp = [{ cid: 1, type: "IP", apn: "internet", address: "10.0.0.2" }]),
      "degraded",
      { apn: "warn" },
      /wireless\.twilio\.com/,
    ],
    [
      "Super SIM expects the APN super",
      ({ input, c }) => ((input.product = "super-sim"), (c.product = "super-sim")),
      "degraded",
      { apn: "warn" },
      /super/,
    ],
    [
      "the API is unreachable: carrier checks unknown, verdict from the modem",
      ({ input }) =>
        void (input.carrier = { error: "CG_ERR_API_UNAVAILABLE: GET /v1/Sims failed after 4 attempts: ECONNREFUSED" }),
      "ok",
      { "carrier-sim": "unknown", "carrier-plan": "unknown" },
    ],
    [
      "the local broker is down, with drops",
      ({ input }) =>
        void (input.mqtt = {
          connected: false,
          forMs: 120_000,
          outbox: { depth: 40, oldestAgeS: 110, dropped: { count: 3, bytes: 0, age: 1 } },
        }),
      "degraded",
      { mqtt: "fail" },
      /local broker/,
    ],
    [
      "the kernel says unsynchronised; times from the modem's network time",
      ({ input }) => void (input.clock = { sync: "unsynced", via: "timedatectl: NTPSynchronized=no", quality: "network" }),
      "degraded",
      { clock: "warn" },
      /start an NTP client \(systemd-timesyncd, chrony or ntpd\)/,
    ],
    [
      // chrony keeps time, timesyncd is not installed: the kernel's state is what counts.
      "synchronised by chrony (no timesyncd marker)",
      ({ input }) => void (input.clock = { sync: "synced", via: "timedatectl: NTPSynchronized=yes", quality: "synced" }),
      "ok",
      { clock: "pass" },
    ],
    [
      // No timedatectl (no systemd, a container): cannot tell, which is not "unsynchronised".
      "cannot tell whether the clock is synchronised",
      ({ input }) => void (input.clock = { sync: "unknown", via: "timedatectl could not tell (ENOENT)", quality: "network" }),
      "ok",
      { clock: "unknown" },
    ],
  ])("%s", (_label, change, verdict, statuses, hint) => {
    const r = run(change);
    expect(r.verdict).toBe(verdict);
    for (const [id, status] of Object.entries(statuses)) expect(r.checks.find((c) => c.id === id)?.status, id).toBe(status);
    for (const c of r.checks) if (c.status === "fail" || c.status === "warn") expect(c.hint, `${c.id} needs a hint`).toBeTruthy();
    if (hint) expect(r.checks.map((c) => c.hint ?? "").join("\n")).toMatch(hint);
  });

  it("registration denied is explained by the account's SIM status", () => {
    const r = run(({ m, c }) => ((c.sim.status = "suspended"), notRegistered(m, "denied")));
    expect(r.checks.find((c) => c.id === "registration")?.hint).toBe(
      "the account says the SIM is suspended: the SIM is suspended in the account: reactivate it (Status=active)",
    );
  });

  it("with no API configured there are no carrier checks at all", () => {
    const r = run(({ input }) => void (input.carrier = "disabled"));
    expect(r.checks.map((c) => c.id)).toEqual(["modem", "sim", "registration", "signal", "attach", "apn", "mqtt", "clock"]);
    expect(r.verdict).toBe("ok");
  });

  it("failing() lists what stops connectivity first", () => {
    const r = run(
      ({ m, c, input }) => (
        (c.sim.status = "suspended"),
        (m.signal = { rssiDbm: -97, ber: null, rsrpDbm: -118 }),
        (input.clock = { sync: "unsynced", via: "timedatectl: NTPSynchronized=no", quality: "unsynced" })
      ),
    );
    expect(failing(r).map((c) => c.id)).toEqual(["carrier-sim", "signal", "clock"]);
  });
});

describe("joint health: the data path", () => {
  const link = (over: Partial<LinkStatus>): LinkStatus => ({
    bearer: "module",
    probe: "tcp://127.0.0.1:8883",
    mode: "up",
    lastProbe: { ok: true, ageMs: 20_000, detail: "tcp 127.0.0.1:8883 connected in 3 ms" },
    hold: null,
    running: null,
    next: null,
    counters: {},
    redials: 0,
    undecided: null,
    summary: "up",
    ...over,
  });
  const failingProbe = { ok: false, ageMs: 10_000, detail: "tcp 127.0.0.1:8883: ECONNREFUSED" };
  it.each<[string, Partial<LinkStatus>, Verdict, string, RegExp]>([
    ["probe ok", {}, "ok", "pass", /probe tcp:\/\/127\.0\.0\.1:8883 ok 20 s ago/],
    [
      "no bridge to read: unknown, and says why",
      {
        probe: "bridge",
        mode: "unknown",
        lastProbe: null,
        undecided: "no bridge state seen (no bridge configured? use tcp://host:port)",
      },
      "ok",
      "unknown",
      /^probe bridge cannot tell: no bridge state seen/,
    ],
    [
      "down: joined with both views and the next step",
      { mode: "down", lastProbe: failingProbe, next: { step: "reattach", inMs: 120_000 } },
      "degraded",
      "fail",
      /^registered and attached, carrier's last data session 15 min ago, probe failing: bearer down, reattach in 2 min$/,
    ],
    [
      "blocked by the carrier: says why, and that SMS still works",
      { mode: "held", lastProbe: failingProbe, hold: { kind: "blocked", reason: "the SIM is suspended in the account" } },
      "degraded",
      "fail",
      /no step taken: the SIM is suspended in the account; Commands by SMS still reach/,
    ],
    [
      "waiting out a firmware update: a warning",
      {
        mode: "held",
        lastProbe: failingProbe,
        hold: { kind: "wait", reason: "the module is updating its firmware", until: null },
      },
      "degraded",
      "warn",
      /updating its firmware/,
    ],
  ])("%s", (_name, over, verdict, status, text) => {
    const r = run(({ input }) => void (input.link = link(over)));
    const c = r.checks.find((x) => x.id === "data-path")!;
    expect(r.verdict).toBe(verdict);
    expect(c.status).toBe(status);
    expect(c.hint ?? c.detail).toMatch(text);
  });
});
