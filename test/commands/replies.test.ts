import { describe, expect, it } from "vitest";
import {
  backOnlineReply,
  bytes,
  duration,
  echoed,
  fitReply,
  gsmSafe,
  healthReply,
  helpReply,
  modemResetReply,
  mqttReply,
  netReply,
  pingReply,
  readReply,
  signalReply,
  simReply,
  statusReply,
  versionReply,
  VERBS,
  type GatewayView,
} from "../../src/commands/index.js";
import { gsm7Length } from "../../src/sms/pdu/index.js";
import { REALISTIC } from "./views.js";

const septets = (s: string) => gsm7Length(s);

const LONG = "x".repeat(300);
// Everything at its longest and strangest: names with non-GSM letters, IPv6, every check failing with long hints, huge numbers.
const WORST: GatewayView = {
  verdict: "degraded",
  failing: [
    "modem",
    "sim",
    "registration",
    "signal",
    "attach",
    "apn",
    "carrier-sim",
    "carrier-plan",
    "usage",
    "data-session",
    "mqtt",
    "clock",
  ].map((id, i) => ({
    id,
    status: i % 2 ? "warn" : "fail",
    detail: `${id} detail ${LONG}`,
    hint: `${id}: the account says the SIM is suspended: reactivate it in the Console — ${LONG}`,
  })),
  modem: { answering: true, model: `SIM7600G-H ${LONG}`, revision: `LE20B04SIM7600G22 ${LONG}`, port: `/dev/${LONG}` },
  registration: { state: "roaming-csfb-not-preferred", roaming: true },
  operator: { name: "Telefónica Móviles España S.A.U. 中国移动 Ωmega Networks International Ltd", mcc: "214", mnc: "007" },
  accessTech: "en-dc",
  cell: { tac: 16_777_215, lac: 65_535, ci: 268_435_455, band: `NR5G BAND 78 ${LONG}`, pci: 1007 },
  signal: { rssiDbm: -113, rsrpDbm: -140, rsrqDb: -19.5, sinrDb: -20, ber: 7 },
  attached: false,
  apn: `super.${LONG}`,
  ip: "2001:0db8:85a3:0000:0000:8a2e:0370:7334",
  dataPath: "fixing-modem-reset",
  iccid: "89883070000123456789",
  carrier: {
    status: "deactivated",
    plan: `Ünïcode Plan ${LONG}`,
    dataEnabled: false,
    usedBytes: 9_876_543_210_123,
    limitBytes: 1_000_000_000_000,
    ageS: 99_999_999,
  },
  carrierError: `CG_ERR_API_UNAVAILABLE: ${LONG}`,
  mqtt: { connected: false, forS: 99_999_999, outboxDepth: 1_000_000, dropped: 123_456_789, reconnects: 99_999 },
  uptimeS: 999_999_999,
  hostUptimeS: 999_999_999,
  version: `0.1.0-rc.1+${LONG}`,
  clock: "unsynced",
};

// The modem gone: nothing known at all.
const EMPTY: GatewayView = {
  ...REALISTIC,
  verdict: "down",
  failing: [
    {
      id: "modem",
      status: "fail",
      detail: "modem port not ready (waiting: no device)",
      hint: "check the USB cable and the modem's power",
    },
  ],
  modem: { answering: false, model: null, revision: null, port: null },
  registration: null,
  operator: null,
  accessTech: null,
  cell: null,
  signal: null,
  attached: null,
  apn: null,
  ip: null,
  dataPath: null,
  iccid: null,
  carrier: null,
  carrierError: "not looked up yet (the modem's ICCID is not known)",
};

const REPLIES: Record<string, (v: GatewayView) => string> = {
  status: (v) => statusReply(v, septets),
  health: (v) => healthReply(v, septets),
  signal: (v) => signalReply(v, septets),
  net: (v) => netReply(v, septets),
  sim: (v) => simReply(v, septets),
  mqtt: (v) => mqttReply(v, septets),
  version: (v) => versionReply(v, septets),
  help: () => helpReply([...VERBS], new Set(["help"]), septets),
  online: (v) => backOnlineReply("reboot", v, septets),
};

describe("every reply is one SMS: at most 160 GSM 7-bit septets", () => {
  for (const [state, view] of Object.entries({ realistic: REALISTIC, "worst case": WORST, "no modem": EMPTY })) {
    it.each(Object.keys(REPLIES))(`%s, ${state}`, (verb) => {
      const text = REPLIES[verb]!(view);
      const n = septets(text);
      expect(n, text).toBeDefined(); // GSM 7-bit: a UCS2 reply would hold only 70
      expect(n!, text).toBeLessThanOrEqual(160);
      expect(text.startsWith(verb), text).toBe(true);
    });
  }
});

describe("with a request id echoed first, every reply is still one SMS", () => {
  const BUILD: Record<string, (v: GatewayView, max: number) => string> = {
    status: (v, max) => statusReply(v, septets, max),
    health: (v, max) => healthReply(v, septets, max),
    signal: (v, max) => signalReply(v, septets, max),
    net: (v, max) => netReply(v, septets, max),
    sim: (v, max) => simReply(v, septets, max),
    mqtt: (v, max) => mqttReply(v, septets, max),
    version: (v, max) => versionReply(v, septets, max),
    help: (_v, max) => helpReply([...VERBS], new Set(["help"]), septets, max),
    ping: (_v, max) =>
      pingReply(
        `${"a".repeat(55)}.invalid`,
        "65535",
        { ok: false, dnsMs: null, tcpMs: null, address: null, error: LONG },
        septets,
        max,
      ),
    "modem-reset": (v, max) => modemResetReply({ ok: true, detail: LONG, tookMs: 123_456_789 }, v, septets, max),
  };
  for (const [state, view] of Object.entries({ realistic: REALISTIC, "worst case": WORST, "no modem": EMPTY })) {
    it.each(Object.keys(BUILD))(`%s, ${state}, id of 8`, (verb) => {
      const text = echoed("zzzzzzzz", (max) => BUILD[verb]!(view, max));
      const n = septets(text);
      expect(n, text).toBeDefined();
      expect(n!, text).toBeLessThanOrEqual(160);
      expect(readReply(text)).toEqual({ rid: "zzzzzzzz", text: text.slice(10) });
      expect(readReply(text).text.startsWith(verb), text).toBe(true);
    });
  }

  it("a reply without an id reads as one", () => {
    expect(readReply("status ok reg=roaming")).toEqual({ rid: null, text: "status ok reg=roaming" });
    expect(echoed(undefined, (max) => `${max}`)).toBe("160");
    expect(echoed("k3f9x", (max) => `${max}`)).toBe("#k3f9x 153");
  });
});

describe("what the replies say", () => {
  it.each([
    [
      "status",
      "status ok reg=roaming rat=lte rsrp=-95 att=1 data=up sim=active mqtt=up up=3d4h v=0.1.0 op=T-Mobile ip=10.64.12.7",
    ],
    ["health", "health ok all checks pass"],
    ["signal", "signal rat=lte rssi=-67 rsrp=-95 rsrq=-11 sinr=12 band=LTE_BAND_12 pci=301"],
    [
      "net",
      "net reg=roaming rat=lte mcc=310 mnc=260 tac=11544 ci=50896642 att=1 ip=10.64.12.7 op=T-Mobile apn=wireless.twilio.com",
    ],
    ["sim", "sim iccid=..345678 status=active data=on used=12.3MB/500MB age=5m12s plan=gateway-plan"],
    ["mqtt", "mqtt link=up for=2h1m outbox=0 drops=0 reconnects=1"],
    ["online", "online after=reboot health=ok reg=roaming rat=lte rsrp=-95 ip=10.64.12.7 up=3d4h sysup=14d0h v=0.1.0"],
  ])("%s, realistic", (verb, want) => {
    expect(REPLIES[verb]!(REALISTIC)).toBe(want);
  });

  it("health lists every failing check's id, failures first, then as many hints as fit", () => {
    const r = healthReply(WORST, septets);
    expect(r).toMatch(
      /^health degraded fail=modem,registration,attach,carrier-sim,usage,mqtt warn=sim,signal,apn,carrier-plan,data-session,clock modem: /,
    );
    expect(r.endsWith("..")).toBe(true);
  });

  it("health with one failure gives its hint whole", () => {
    expect(healthReply(EMPTY, septets)).toBe("health down fail=modem modem: check the USB cable and the modem's power");
  });

  it("non-GSM letters are transliterated or replaced, never turning the SMS into UCS2", () => {
    expect(gsmSafe("Telefónica Móviles 中国 Ωmega", septets)).toBe("Telefonica Moviles ?? Ωmega");
    expect(statusReply(WORST, septets)).toContain("op=Telefonica_Moviles_");
  });

  it("a field that does not fit is left out whole; a later shorter one still fits", () => {
    expect(fitReply("h", ["a".repeat(150), "bbbbbbbbbbbbbbbbbbbb", "c"], septets, 160)).toBe(`h ${"a".repeat(150)} c`);
  });

  it("formats durations and sizes compactly", () => {
    expect([duration(59), duration(61), duration(4000), duration(93_784), duration(-1)]).toEqual([
      "59s",
      "1m1s",
      "1h6m",
      "1d2h",
      "?",
    ]);
    expect([bytes(999), bytes(12_345_678), bytes(500_000_000), bytes(1_500)]).toEqual(["999B", "12.3MB", "500MB", "1.5kB"]);
  });
});
