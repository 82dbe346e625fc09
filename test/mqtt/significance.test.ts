import { describe, expect, it } from "vitest";
import { healthKey, SignalDeadband, simKey } from "../../src/mqtt/index.js";

const net = (rsrpDbm: number | null, sinrDb: number | null = 12) => ({
  registration: null,
  operator: null,
  accessTech: "lte",
  rat: "lte",
  cell: null,
  signal: { rssiDbm: -67, rsrpDbm, rsrqDb: -11, sinrDb },
  attached: true,
  apn: "wireless.twilio.com",
  ip: "10.0.0.1",
});

describe("what makes a snapshot news", () => {
  it("the signal through a 3 dB deadband: a wobble keeps the key, a fade or a value that appears changes it", () => {
    const d = new SignalDeadband(() => 3);
    const keys = [-95, -96, -94, -97, -98, -98, -101, -99, null, null, -99].map((r) => JSON.stringify(d.key(net(r))));
    const changes = keys.filter((k, i) => i > 0 && k !== keys[i - 1]).length;
    // -95 → -98 (3 dB) → -101 (3 dB) → null (gone) → -99 (back): four changes, not ten.
    expect(changes).toBe(4);
  });

  it("health: the verdict and each check's status and hint, not the detail's live numbers", () => {
    const h = (detail: string, status = "pass") => ({
      verdict: "ok" as const,
      checks: [{ id: "signal", status, detail }],
      at: "2026-11-30T00:00:00Z",
    });
    expect(healthKey(h("rsrp -95 dBm"))).toEqual(healthKey(h("rsrp -97 dBm")));
    expect(healthKey(h("rsrp -95 dBm"))).not.toEqual(healthKey(h("rsrp -121 dBm", "warn")));
  });

  it("sim: not the fetch time nor the period's moving end; usage in steps", () => {
    const s = (dataBytes: number, periodEnd: string, fetchedAt: string) => ({
      view: {
        sim: { status: "active" },
        usage: { periodStart: "2026-11-01T00:00:00Z", periodEnd, dataBytes, limitBytes: 500e6 },
        lastDataSession: { radioLink: "LTE", operatorName: "T-Mobile", open: true, lastUpdated: periodEnd },
      },
      fetchedAt,
    });
    const a = simKey(s(12_100_000, "2026-11-30T10:00:00Z", "2026-11-30T10:00:01Z"), 1_000_000);
    expect(simKey(s(12_900_000, "2026-11-30T11:00:00Z", "2026-11-30T11:00:01Z"), 1_000_000)).toEqual(a);
    expect(simKey(s(13_000_000, "2026-11-30T11:00:00Z", "2026-11-30T11:00:01Z"), 1_000_000)).not.toEqual(a);
    expect(simKey({ view: null, fetchedAt: null, error: "api down" }, 1)).toEqual({ error: "api down" });
  });
});
