import { describe, expect, it } from "vitest";
import { networkView, type ModemSnapshot, type Registration } from "../../src/modem/index.js";
import { networkPayload, telemetryPayload } from "../../src/mqtt/index.js";

const reg = (r: Partial<Registration> & Pick<Registration, "domain" | "state" | "registered">): Registration => ({
  stat: 0,
  roaming: false,
  ...r,
});
const snap = (s: Partial<ModemSnapshot>): ModemSnapshot => ({
  at: "2026-11-30T12:00:00Z",
  answering: true,
  registration: {},
  errors: {},
  ...s,
});

describe("networkView: the one picture of the network that every output shapes", () => {
  it.each([
    [
      "a registered EPS beats an unregistered CS, whatever the order",
      snap({
        registration: {
          cs: reg({ domain: "cs", state: "searching", registered: false }),
          eps: reg({ domain: "eps", state: "roaming", registered: true, roaming: true, tac: 0x2a, ci: 0x1b2c3d, act: "nb-iot" }),
        },
      }),
      {
        registration: { state: "roaming", domain: "eps", registered: true, roaming: true },
        accessTech: "nb-iot",
        cell: { tac: 42, lac: null, ci: 0x1b2c3d },
      },
    ],
    [
      "nothing registered: the EPS one still says why",
      snap({
        registration: {
          eps: reg({ domain: "eps", state: "denied", registered: false }),
          ps: reg({ domain: "ps", state: "searching", registered: false }),
        },
      }),
      { registration: { state: "denied", domain: "eps", registered: false, roaming: false } },
    ],
    [
      "the data context is the one with an address",
      snap({
        pdp: [
          { cid: 1, type: "IP", apn: "ims" },
          { cid: 2, type: "IP", apn: "super", address: "10.64.1.2" },
        ],
      }),
      { apn: "super", ip: "10.64.1.2", registration: null, cell: null },
    ],
    [
      "a modem that told nothing: every field null, none made up",
      snap({}),
      { registration: null, operator: null, accessTech: null, cell: null, signal: null, attached: null, apn: null, ip: null },
    ],
  ])("%s", (_name, s, want) => {
    expect(networkView(s)).toMatchObject(want);
  });

  it("MQTT network carries the registration without the derived `registered`; telemetry carries it", () => {
    const v = networkView(
      snap({
        registration: { eps: reg({ domain: "eps", state: "home", registered: true }) },
        signal: { rssiDbm: -71, ber: null },
      }),
    );
    expect(networkPayload(v).registration).toEqual({ state: "home", domain: "eps", roaming: false });
    const t = telemetryPayload(v, { uptimeS: 5, outboxDepth: 0, dropped: 0, reconnects: 0 });
    expect(t).toMatchObject({ registered: true, roaming: false, signal: { rssiDbm: -71, rsrpDbm: null } });
    expect(telemetryPayload(undefined, { uptimeS: 5, outboxDepth: 0, dropped: 0, reconnects: 0 }).registered).toBeNull();
  });
});
