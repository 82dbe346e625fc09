import type { GatewayView } from "../../src/commands/index.js";

// The e2e gateway on a good day: EC25 on T-Mobile roaming, LTE, a Twilio plan.
export const REALISTIC: GatewayView = {
  verdict: "ok",
  failing: [],
  modem: { answering: true, model: "EC25", revision: "EC25EFAR06A06M4G", port: "/dev/serial/by-id/usb-Quectel_EC25-if02-port0" },
  registration: { state: "roaming", roaming: true },
  operator: { name: "T-Mobile", mcc: "310", mnc: "260" },
  accessTech: "lte",
  cell: { tac: 11544, lac: null, ci: 50896642, band: "LTE BAND 12", pci: 301 },
  signal: { rssiDbm: -67, rsrpDbm: -95, rsrqDb: -11, sinrDb: 12, ber: null },
  attached: true,
  apn: "wireless.twilio.com",
  ip: "10.64.12.7",
  dataPath: "up",
  iccid: "8988307000012345678",
  carrier: {
    status: "active",
    plan: "gateway-plan",
    dataEnabled: true,
    usedBytes: 12_345_678,
    limitBytes: 500_000_000,
    ageS: 312,
  },
  carrierError: null,
  mqtt: { connected: true, forS: 7300, outboxDepth: 0, dropped: 0, reconnects: 1 },
  uptimeS: 273_600,
  hostUptimeS: 1_209_600,
  version: "0.1.0",
  clock: "synced",
};
