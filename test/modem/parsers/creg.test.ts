import { describe, expect, it } from "vitest";
import { parseCeregRead, parseCgregRead, parseCregRead, parseRegistrationLine } from "../../../src/modem/parsers/index.js";
import type { Registration } from "../../../src/modem/index.js";

// ModemManager's src/tests/test-modem-helpers.c creg tables. "sol" is the
// AT+CxREG? reply, "urc" the unsolicited form. Expected values are ModemManager's, in our names.
type Want = Partial<Registration>;
const HOME = { state: "home", registered: true, roaming: false } as const;
const ROAM = { state: "roaming", registered: true, roaming: true } as const;

describe("registration lines (ModemManager creg/cgreg/cereg/c5greg tables)", () => {
  it.each<[string, "read" | "urc", string, Want]>([
    ["generic", "read", "+CREG: 1,3", { domain: "cs", stat: 3, state: "denied", registered: false }],
    ["generic", "urc", "+CREG: 3", { stat: 3, state: "denied" }],
    ["generic", "urc", "+CREG: 11", { state: "attached-rlos" }],
    ["Sierra Mercury", "read", "+CREG: 1,1,84CD,00D30173", { ...HOME, lac: 0x84cd, ci: 0xd30173 }],
    ["Sierra Mercury", "urc", "+CREG: 1,84CD,00D30156", { ...HOME, lac: 0x84cd, ci: 0xd30156 }],
    ["generic RLOS", "urc", '+CREG: 11,"33FE","a3fb477"', { state: "attached-rlos", lac: 0x33fe, ci: 0xa3fb477 }],
    ["SE K850i", "read", '+CREG: 2,1,"CE00","01CEAD8F"', { ...HOME, lac: 0xce00, ci: 0x01cead8f }],
    ["SE K850i", "urc", '+CREG: 1,"CE00","00005449"', { ...HOME, lac: 0xce00, ci: 0x5449 }],
    ["Huawei E160G unregistered", "read", "+CREG: 2,0,00,0", { state: "idle", registered: false, lac: 0, ci: 0 }],
    ["generic", "read", "+CREG: 2,1,8BE3,2BAF", { ...HOME, lac: 0x8be3, ci: 0x2baf }],
    ["generic", "urc", "+CREG: 1,8BE3,2BAF", { ...HOME, lac: 0x8be3, ci: 0x2baf }],
    ["SE TM-506", "read", '+CREG: 2,1,"8BE3","00002BAF"', { ...HOME, lac: 0x8be3, ci: 0x2baf }],
    ["Novatel XU870, empty lac/ci", "urc", "+CREG: 2,,", { state: "searching", registered: false }],
    ["Iridium, leading zeros", "read", '+CREG:002,001,"18d8","ffff"', { ...HOME, lac: 0x18d8, ci: 0xffff }],
    ["generic", "read", "+CREG:2,1,0001,0010", { ...HOME, lac: 1, ci: 0x10 }],
    ["generic with AcT", "urc", "+CREG: 1,0001,0010,0", { ...HOME, lac: 1, ci: 0x10, act: "gsm" }],
    ["generic zero-padded", "urc", '+CREG: 001,"0001","0010",000', { ...HOME, lac: 1, ci: 0x10, act: "gsm" }],
    [
      "generic CSFB",
      "urc",
      "+CREG: 10,0001,0010,0",
      { state: "roaming-csfb-not-preferred", roaming: true, lac: 1, ci: 0x10, act: "gsm" },
    ],
    [
      "u-blox Toby-L2",
      "read",
      '+CREG: 2,6,"8B37","0A265185",7',
      { state: "home-sms-only", registered: true, lac: 0x8b37, ci: 0x0a265185, act: "lte" },
    ],
    [
      "u-blox Toby-L2",
      "urc",
      '+CREG: 6,"8B37","0A265185",7',
      { state: "home-sms-only", lac: 0x8b37, ci: 0x0a265185, act: "lte" },
    ],
    ["SE MD400: solicited shape as a URC", "urc", '+CREG: 2,5,"0502","0404736D"', { ...ROAM, lac: 0x0502, ci: 0x0404736d }],
    ["Samsung Wave, junk fields", "urc", "+CREG: 2,1,000B,2816, B, C2816", { ...HOME, lac: 0x000b, ci: 0x2816 }],
    ["Gobi 1000, space inside the lac (ours: lac not reported)", "read", "+CREG: 2,1,  0 5, 2715", { ...HOME, ci: 0x2715 }],
    ["generic", "read", "+CGREG: 1,3", { domain: "ps", state: "denied" }],
    [
      "Ericsson F3607gw",
      "read",
      '+CGREG: 2,1,"8BE3","00002B5D",3',
      { domain: "ps", ...HOME, lac: 0x8be3, ci: 0x2b5d, act: "edge" },
    ],
    ["Ericsson F3607gw", "urc", '+CGREG: 1,"8BE3","00002B5D",3', { ...HOME, lac: 0x8be3, ci: 0x2b5d, act: "edge" }],
    ["generic", "urc", '+CGREG: 5,"0502","0404736D",2', { ...ROAM, lac: 0x0502, ci: 0x0404736d, act: "umts" }],
    ["Alcatel X220D, spaces", "urc", "+CGREG: 2,1, 81ED, 1A9CEB", { ...HOME, lac: 0x81ed, ci: 0x1a9ceb }],
    ["generic with RAC", "urc", '+CGREG: 1,"1422","00000142",3,"00"', { ...HOME, lac: 0x1422, ci: 0x142, act: "edge" }],
    ["generic CSFB", "read", "+CGREG:2,10,ebbd,f025", { state: "roaming-csfb-not-preferred", lac: 0xebbd, ci: 0xf025 }],
    ["Thuraya", "read", '+CGREG: 2, 1, "0426", "F00F"', { ...HOME, lac: 0x0426, ci: 0xf00f }],
    ["generic", "read", "+CEREG: 1,3", { domain: "eps", state: "denied" }],
    ["generic", "read", "+CEREG: 2,1, 1F00, 79D903 ,7", { domain: "eps", ...HOME, tac: 0x1f00, ci: 0x79d903, act: "lte" }],
    ["generic", "urc", "+CEREG: 1, 1F00, 79D903 ,7", { ...HOME, tac: 0x1f00, ci: 0x79d903, act: "lte" }],
    [
      "generic CSFB",
      "read",
      '+CEREG: 2,10,"8d83","671f98a",7',
      { state: "roaming-csfb-not-preferred", tac: 0x8d83, ci: 0x671f98a, act: "lte" },
    ],
    [
      "Novatel E362: tac, rac, ci",
      "read",
      "+CEREG: 2,1, 1F00, 20 ,79D903 ,7",
      { ...HOME, tac: 0x1f00, ci: 0x79d903, act: "lte" },
    ],
    [
      "Altair: solicited shape as a URC",
      "urc",
      "+CEREG: 1, 2, 0001, 00000100, 7",
      { state: "searching", tac: 1, ci: 0x100, act: "lte" },
    ],
    [
      "generic 5G",
      "read",
      "+C5GREG: 2,1,1F00,79D903,11,6,ABCDEF",
      { domain: "5gs", ...HOME, tac: 0x1f00, ci: 0x79d903, act: "nr-5gcn" },
    ],
    ["generic 5G", "urc", "+C5GREG: 1,1F00,79D903,11,6,ABCDEF", { ...HOME, tac: 0x1f00, ci: 0x79d903, act: "nr-5gcn" }],
    // gammu tests/at-creg/*.dump
    ["gammu huawei.dump", "read", "+CREG: 2,1,4CA,81DE445", { ...HOME, lac: 0x4ca, ci: 0x81de445 }],
    ["gammu none.dump", "read", "+CREG: 0,0", { state: "idle", registered: false }],
    ["gammu siemens.dump: n=0 but lac/ci present", "read", '+CREG: 0,1,"5E25","605F"', { ...HOME, lac: 0x5e25, ci: 0x605f }],
    ["gammu sierra312u.dump", "read", '+CREG: 2,5,"2AF5","0B88E350",2', { ...ROAM, lac: 0x2af5, ci: 0x0b88e350, act: "umts" }],
    ["gammu telit.dump", "read", '+CREG: 0,1,"5E25","605F",2', { ...HOME, lac: 0x5e25, ci: 0x605f, act: "umts" }],
    ["gammu at-creg-corner: empty LAC must succeed", "read", '+CREG: 2,1,"","605F"', { ...HOME, ci: 0x605f }],
  ])("%s (%s) %s", (_modem, form, line, want) => {
    const got = parseRegistrationLine(line, form);
    expect(got).toMatchObject(want);
    if (want.lac === undefined) expect(got.lac).toBeUndefined();
    if (want.act === undefined) expect(got.act).toBeUndefined();
  });

  // 27.007 §10.1.22 <n>=3..5: cause and PSM timers after <AcT>, any of them empty.
  it.each<[string, "read" | "urc", string, Want]>([
    [
      "n=5, both PSM timers deactivated",
      "read",
      '+CEREG: 5,1,"0140","0108A82E",7,,,"11100000","11100000"',
      { ...HOME, tac: 0x140, ci: 0x108a82e, act: "lte", psm: { activeTimeS: null, periodicTauS: null } },
    ],
    [
      "n=4 URC: active time 1 min, periodic TAU 6 × 10 min",
      "urc",
      '+CEREG: 1,"002F","0012BEEF",7,,,"00100001","00000110"',
      { ...HOME, tac: 0x2f, ci: 0x12beef, psm: { activeTimeS: 60, periodicTauS: 3600 } },
    ],
    [
      "n=4 URC: TAU in hours, active time in 2-s units",
      "urc",
      '+CEREG: 5,"A1B2","00C0FFEE",9,,,"00000101","00100010"',
      { state: "roaming", tac: 0xa1b2, act: "nb-iot", psm: { activeTimeS: 10, periodicTauS: 7200 } },
    ],
    [
      "n=3 denied with EMM cause 15 (no suitable cells), location empty",
      "read",
      '+CEREG: 3,3,"","",7,0,15',
      { state: "denied", registered: false, rejectCause: { type: "emm", cause: 15 } },
    ],
    ["n=4 searching, every optional field empty", "read", "+CEREG: 4,2,,,,,,,", { state: "searching", registered: false }],
  ])("%s (%s) %s", (_label, form, line, want) => {
    const got = parseRegistrationLine(line, form);
    expect(got).toMatchObject(want);
    if (want.psm === undefined) expect(got.psm).toBeUndefined();
    if (want.rejectCause === undefined) expect(got.rejectCause).toBeUndefined();
  });

  it.each([
    ["gammu at-creg-corner: mismatched quotes", '+CREG: 2,1,"0B,"0100701",7'],
    ["gammu at-creg-corner: a single quote (gammu's fallback garbles it; we refuse)", '+CREG: 2,1,"5E25'],
    ["no stat", "+CREG: x,y"],
    ["not a registration line", "+CSQ: 1,2"],
  ])("rejects %s", (_label, line) => {
    expect(() => parseRegistrationLine(line, "read")).toThrow(expect.objectContaining({ code: "CG_ERR_MODEM_PARSE" }));
  });

  it("the read parsers find their own line in a reply and refuse an empty one (gammu empty.dump)", () => {
    expect(parseCregRead(["+CREG: 2,1,4CA,81DE445"]).domain).toBe("cs");
    expect(parseCgregRead(['+CGREG: 2,1,"8BE3","00002B5D",3']).domain).toBe("ps");
    expect(parseCeregRead(["+CEREG: 1,3"]).domain).toBe("eps");
    expect(() => parseCregRead([])).toThrow(expect.objectContaining({ code: "CG_ERR_MODEM_PARSE" }));
  });
});
