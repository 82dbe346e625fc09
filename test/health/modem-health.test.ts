import { describe, expect, it } from "vitest";
import { assess, type HealthInput, type Verdict } from "../../src/health/index.js";
import type { ModemSnapshot } from "../../src/modem/index.js";

// A gateway roaming on T-Mobile LTE with a Twilio SIM, as the modem reports it.
const healthy = (): ModemSnapshot => ({
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
    cs: { domain: "cs", stat: 5, state: "roaming", registered: true, roaming: true, lac: 0x2d18, ci: 0x3089f02, act: "lte" },
    eps: { domain: "eps", stat: 5, state: "roaming", registered: true, roaming: true, tac: 0x2d18, ci: 0x3089f02, act: "lte" },
  },
  operator: { mode: 0, name: "T-Mobile", numeric: "310260", mcc: "310", mnc: "260", act: "lte" },
  attached: true,
  pdp: [{ cid: 1, type: "IP", apn: "wireless.twilio.com", address: "10.64.12.3" }],
  errors: {},
});

const run = (change: (s: ModemSnapshot) => void) => {
  const s = healthy();
  change(s);
  return assess({ modem: { snapshot: s }, now: Date.parse("2026-11-26T12:00:00Z") });
};
const not = (domain: "cs" | "eps", stat: number, state: string) => (s: ModemSnapshot) =>
  void (s.registration[domain] = { domain, stat, state: state as never, registered: false, roaming: false });

describe("modem health: realistic scenarios", () => {
  it.each<[string, (s: ModemSnapshot) => void, Verdict, Record<string, string>]>([
    ["roaming on LTE with good signal: ok (roaming is normal)", () => {}, "ok", { registration: "pass", signal: "pass" }],
    ["SIM missing", (s) => void (s.sim = "absent"), "down", { sim: "fail" }],
    ["SIM PIN-locked", (s) => void (s.sim = "sim-pin"), "down", { sim: "fail" }],
    ["SIM busy right after boot", (s) => void (s.sim = "busy"), "degraded", { sim: "warn" }],
    [
      "registration denied (SIM not active / network not allowed)",
      (s) => (not("cs", 3, "denied")(s), not("eps", 3, "denied")(s)),
      "down",
      { registration: "fail" },
    ],
    [
      "still searching",
      (s) => (not("cs", 2, "searching")(s), not("eps", 2, "searching")(s)),
      "degraded",
      { registration: "warn" },
    ],
    [
      "weak LTE signal",
      (s) => void (s.signal = { rssiDbm: -97, ber: null, rsrpDbm: -118, rsrqDb: -17, sinrDb: -2 }),
      "degraded",
      { signal: "fail" },
    ],
    [
      "borderline signal",
      (s) => void (s.signal = { rssiDbm: -91, ber: null, rsrpDbm: -110, rsrqDb: -12, sinrDb: 3 }),
      "degraded",
      { signal: "warn" },
    ],
    ["only +CSQ known (3G modem)", (s) => void (s.signal = { rssiDbm: -79, ber: 0 }), "ok", { signal: "pass" }],
    ["registered but not attached: the APN hint", (s) => void (s.attached = false), "down", { attach: "fail" }],
    [
      "registration could not be read",
      (s) => (
        (s.registration = {}),
        (s.errors.registration = { code: "CG_ERR_AT_TIMEOUT", message: "AT+CREG?: no final result code in time" })
      ),
      "unknown",
      { registration: "unknown" },
    ],
  ])("%s", (_label, change, verdict, statuses) => {
    const r = run(change);
    expect(r.verdict).toBe(verdict);
    for (const [id, status] of Object.entries(statuses)) expect(r.checks.find((c) => c.id === id)?.status, id).toBe(status);
    for (const c of r.checks) if (c.status === "fail" || c.status === "warn") expect(c.hint, `${c.id} needs a hint`).toBeTruthy();
  });

  it("says roaming is normal, and where", () => {
    expect(run(() => {}).checks.find((c) => c.id === "registration")?.detail).toBe(
      "roaming (normal for Twilio/KORE SIMs) on T-Mobile (310260), LTE, TAC 2D18, cell 3089F02",
    );
  });

  it("registered but not attached names the APNs to check", () => {
    expect(run((s) => void (s.attached = false)).checks.find((c) => c.id === "attach")?.hint).toMatch(
      /wireless\.twilio\.com.*super/,
    );
  });

  it("a remembered identity but no answer now: the modem check fails", () => {
    const r = run((s) => {
      s.answering = false;
      s.errors.signal = { code: "CG_ERR_LINK_LOST", message: "AT+CSQ: the modem port is not open (waiting)" };
    });
    expect(r.verdict).toBe("down");
    expect(r.checks[0]).toMatchObject({
      id: "modem",
      status: "fail",
      detail: "Quectel EC25 not answering: AT+CSQ: the modem port is not open (waiting)",
    });
  });

  it("no modem at all: down, every other check unknown", () => {
    const input: HealthInput = {
      modem: { error: { code: "CG_ERR_LINK_OPEN", message: "cannot open /dev/ttyUSB2: No such file or directory" } },
      now: 0,
    };
    const r = assess(input);
    expect(r.verdict).toBe("down");
    expect(r.checks.map((c) => [c.id, c.status])).toEqual([
      ["modem", "fail"],
      ["sim", "unknown"],
      ["registration", "unknown"],
      ["signal", "unknown"],
      ["attach", "unknown"],
    ]);
    expect(r.checks[0]?.hint).toMatch(/ModemManager/);
  });
});
