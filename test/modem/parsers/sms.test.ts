import { describe, expect, it } from "vitest";
import {
  parseCmglPdu,
  parseCmgrPdu,
  parseCmgsWrite,
  parseCmti,
  parseCpmsRead,
  parseCpmsTest,
  parseCpmsWrite,
} from "../../../src/modem/parsers/index.js";

// +CPMS, +CMGL and +CMGR replies from ModemManager's test-modem-helpers.c, python-gsmmodem's tests and
// gammu's tests/at-* dumps (each case names its source); full PDUs from test/fixtures/pdu/sms-pdus.json
// where the source abbreviates them.
const P0 = "07917248014000F3240B917247587706F400003110824115248012C8329BFD06C9C373B8B82C97E741F034"; // pgm-cmgl-pdu-0
const PANTECH = "079100F40D1101000F001000B917118336058F300001954747A0E4ACF41F27298CDCE83C6EF371B0402814020";
const ZTE = "0297F1061C0F910B487228297020F5317062419272803170624192138000";

describe("parseCmglPdu", () => {
  it("python-gsmmodem test_listStoredSms_pdu: three entries, a junk line after the first header is ignored", () => {
    const r = parseCmglPdu([
      "+CMGL: 0,0,,35",
      "AFSDLF SDKFJSKDLFJLKSDJF SJDLKFSKLDJFKSDFS",
      P0,
      "+CMGL: 1,1,,161",
      P0,
      "+CMGL: 2,1,,159",
      P0,
    ]);
    expect(r.map((e) => [e.index, e.stat, e.length])).toEqual([
      [0, 0, 35],
      [1, 1, 161],
      [2, 1, 159],
    ]);
    expect(r[0]!.pdu).toBe(P0);
  });

  it("ModemManager, Pantech: no alpha field", () => {
    expect(parseCmglPdu(["+CMGL: 17,3,35", PANTECH])).toEqual([{ index: 17, stat: 3, length: 35, pdu: PANTECH }]);
  });

  it("ModemManager test_cmgl_response_pantech_multiple: a truncated last PDU is kept (decoding rejects it)", () => {
    const r = parseCmglPdu(["+CMGL: 17,3,35", PANTECH, "+CMGL: 11,3,35", "079100F40D1101000F001000B917118336058F300"]);
    expect(r[1]).toEqual({ index: 11, stat: 3, length: 35, pdu: "079100F40D1101000F001000B917118336058F300" });
  });

  it("an empty storage lists nothing; a header without a PDU is an error", () => {
    expect(parseCmglPdu([])).toEqual([]);
    expect(() => parseCmglPdu(["+CMGL: 1,0,,22"])).toThrow(expect.objectContaining({ code: "CG_ERR_MODEM_PARSE" }));
  });
});

describe("parseCmgrPdu", () => {
  it.each([
    ["ModemManager generic: PDU on the same line after a space", [`+CMGR: 1,,147 ${P0}`], 1, 147],
    ["ModemManager Telit HE910: empty quoted alpha", ['+CMGR: 0,"",50', P0], 0, 50],
    ["python-gsmmodem: alpha unquoted with spaces", ["+CMGR: 0,Test User 123,50", P0], 0, 50],
    ['python-gsmmodem: alpha "abc123"', ['+CMGR: 0,"abc123",50', P0], 0, 50],
    ["python-gsmmodem: numeric alpha", ["+CMGR: 0,9876543231,50", P0], 0, 50],
    ["ZTE: no <stat>", ["+CMGR: ,,27", ZTE], null, 27],
    ["gammu at-sms: no alpha field", ["+CMGR: 0,23", P0], 0, 23],
    ["gammu at-sms: an extra leading field", ["+CMGR: 4,1,,151", P0], 1, 151],
    ["gammu at-sms: length only", ["+CMGR: 24", P0], null, 24],
  ])("%s", (_label, lines, stat, length) => {
    expect(parseCmgrPdu(lines, 7)).toEqual({ index: 7, stat, length, pdu: lines.length === 1 ? P0 : lines[1] });
  });

  it("an empty slot (OK alone) is undefined", () => {
    expect(parseCmgrPdu([], 3)).toBeUndefined();
  });
});

describe("+CPMS, +CMTI, +CMGS", () => {
  it.each([
    ['+CPMS: "ME",1,100,"MT",5,100,"TA",1,100', ["ME", 1, 100], ["MT", 5, 100]],
    ['+CPMS: "SM",100,100,"SR",5,10,"TA",1,100', ["SM", 100, 100], ["SR", 5, 10]],
    ['+CPMS: "XX",100,100,"YY",5,10,"TA",1,100', ["XX", 100, 100], ["YY", 5, 10]],
    ['+CPMS: "MT", 0, 100, "MT", 0, 100, "MT", 0, 100', ["MT", 0, 100], ["MT", 0, 100]],
  ])("ModemManager cpms_query_test: %s", (line, m1, m2) => {
    const [a, b] = parseCpmsRead([line]);
    expect([a.memory, a.used, a.total]).toEqual(m1);
    expect([b.memory, b.used, b.total]).toEqual(m2);
  });

  it("+CPMS write replies (python-gsmmodem Wavecom: +CPMS: 14,50,14,50)", () => {
    expect(parseCpmsWrite(["+CPMS: 14,50,14,50"])).toEqual([
      { used: 14, total: 50 },
      { used: 14, total: 50 },
    ]);
    expect(() => parseCpmsRead(["+CPMS: "])).toThrow(expect.objectContaining({ code: "CG_ERR_MODEM_PARSE" })); // Samsung J700 (gammu)
  });

  it("+CMTI, and SIM7000G's +CMTI: ,-1 which names no storage", () => {
    expect(parseCmti('+CMTI: "SM",3')).toEqual({ memory: "SM", index: 3 });
    expect(parseCmti('+CMTI: "ME", 1')).toEqual({ memory: "ME", index: 1 });
    expect(() => parseCmti("+CMTI: ,-1")).toThrow(expect.objectContaining({ code: "CG_ERR_MODEM_PARSE" }));
  });

  it("+CMGS: the message reference; warthog618's 'pad OK' without one is malformed", () => {
    expect(parseCmgsWrite(["+CMGS: 43"])).toBe(43);
    expect(() => parseCmgsWrite(["pad"])).toThrow(/no message reference/);
  });
});

describe("parseCpmsTest (ModemManager cpms_format_tests, gammu at-cpms, python-gsmmodem)", () => {
  it.each([
    [
      '+CPMS: ("ME","MT"),("ME","SM","MT"),("SM","MT")',
      [
        ["ME", "MT"],
        ["ME", "SM", "MT"],
        ["SM", "MT"],
      ],
    ],
    ['+CPMS: "ME","MT","SM"', [["ME"], ["MT"], ["SM"]]],
    ["+CPMS: (),(),()", [[], [], []]],
    ['+CPMS: ("ME","MT"),"ME",("SM")', [["ME", "MT"], ["ME"], ["SM"]]],
    ['+CPMS:     (  "ME"  ,  "MT"  )   ,  "ME" ,   (  "SM"  )', [["ME", "MT"], ["ME"], ["SM"]]],
    ["+CPMS: (),,(  )", [[], [], []]],
    [
      '+CPMS: ("SM", "ME", "SM_P", "ME_P", "MT"), ("SM", "ME", "SM_P", "ME_P", "MT"), ("SM", "ME", "SM_P", "ME_P", "MT")',
      [
        ["SM", "ME", "SM_P", "ME_P", "MT"],
        ["SM", "ME", "SM_P", "ME_P", "MT"],
        ["SM", "ME", "SM_P", "ME_P", "MT"],
      ],
    ],
    [
      '+CPMS: ("SM","ME"),("SM","ME"),("SM","ME")',
      [
        ["SM", "ME"],
        ["SM", "ME"],
        ["SM", "ME"],
      ],
    ],
    ['+CPMS: (("SM","BM","SR"),("SM"))', [["SM", "BM", "SR"], ["SM"], []]],
  ])("%s", (line, want) => {
    expect(parseCpmsTest([line])).toEqual(want);
  });
});
