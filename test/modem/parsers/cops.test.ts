import { describe, expect, it } from "vitest";
import { parseCopsRead, parseCopsTest } from "../../../src/modem/parsers/index.js";

describe("parseCopsRead (ModemManager cops_query_data, python-gsmmodem test_networkName)", () => {
  it.each([
    ["MM", '+COPS: 1,0,"CHINA MOBILE"', { mode: 1, name: "CHINA MOBILE" }],
    ["MM", '+COPS: 1,0,"CHINA MOBILE",7', { mode: 1, name: "CHINA MOBILE", act: "lte" }],
    ["MM", '+COPS: 1,2,"46000"', { mode: 1, numeric: "46000", mcc: "460", mnc: "00" }],
    ["MM", '+COPS: 1,2,"46000",7', { mode: 1, numeric: "46000", mcc: "460", mnc: "00", act: "lte" }],
    ["python-gsmmodem", '+COPS: 0,0,"MTN",2', { mode: 0, name: "MTN", act: "umts" }],
    ["python-gsmmodem", '+COPS: 0,0,"I OMNITEL"', { mode: 0, name: "I OMNITEL" }],
    ["no operator selected", "+COPS: 0", { mode: 0 }],
    [
      "Twilio roaming partner, 3-digit MNC",
      '+COPS: 0,2,"310260",7',
      { mode: 0, numeric: "310260", mcc: "310", mnc: "260", act: "lte" },
    ],
  ])("%s: %s", (_src, line, want) => {
    expect(parseCopsRead([line])).toEqual(want);
  });

  it("decodes UCS2 names when the charset is UCS2 (MM normalize_operator_tests)", () => {
    expect(parseCopsRead(['+COPS: 0,0,"0056006500720069007A006F006E",7'], { charset: "UCS2" }).name).toBe("Verizon");
    expect(parseCopsRead(['+COPS: 0,2,"003300310031003400380030"'], { charset: "UCS2" }).numeric).toBe("311480");
    expect(parseCopsRead(['+COPS: 0,0,"Verizon"'], { charset: "UCS2" }).name).toBe("Verizon");
  });

  it("rejects python-gsmmodem's SOME RANDOM RESPONSE and a bad numeric", () => {
    expect(() => parseCopsRead(["SOME RANDOM RESPONSE"])).toThrow(expect.objectContaining({ code: "CG_ERR_MODEM_PARSE" }));
    expect(() => parseCopsRead(['+COPS: 0,2,"abc"'])).toThrow(/MCC\+MNC/);
  });
});

describe("parseCopsTest (ModemManager test_cops_response_*)", () => {
  it("TM-506: broken parentheses around the AcT", () => {
    expect(
      parseCopsTest([
        '+COPS: (2,"","T-Mobile","31026",0),(2,"T - Mobile","T - Mobile","310260"),2),(1,"AT&T","AT&T","310410"),0)',
      ]),
    ).toEqual([
      { status: "current", short: "T-Mobile", numeric: "31026", act: "gsm" },
      { status: "current", long: "T - Mobile", short: "T - Mobile", numeric: "310260", act: "umts" },
      { status: "available", long: "AT&T", short: "AT&T", numeric: "310410", act: "gsm" },
    ]);
  });

  it("Huawei E1550: trailing mode lists are not operators", () => {
    const r = parseCopsTest(['+COPS: (2,"T-Mobile","TMO","31026",0),(1,"AT&T","AT&T","310410",0),,(0,1,2,3,4),(0,1,2)']);
    expect(r.map((e) => e.numeric)).toEqual(["31026", "310410"]);
  });

  it("ZTE MF622: empty names", () => {
    expect(parseCopsTest(['+COPS: (2,"T-Mobile","T-Mobile","31026",0),(1,"","","310410",0),'])[1]).toEqual({
      status: "available",
      numeric: "310410",
      act: "gsm",
    });
  });

  it("Novatel XU870: one line per operator", () => {
    const r = parseCopsTest([
      '+COPS: (0,"AT&T MicroCell","AT&T MicroCell","310410",2)',
      '+COPS: (1,"AT&T MicroCell","AT&T MicroCell","310410",0)',
      '+COPS: (1,"T-Mobile","TMO","31026",0)',
    ]);
    expect(r.map((e) => [e.status, e.act])).toEqual([
      ["unknown", "umts"],
      ["available", "gsm"],
      ["available", "gsm"],
    ]);
  });

  it("Nokia 2720: CRLF inside the list, empty short names", () => {
    const r = parseCopsTest(['+COPS: (2,"T - Mobile",,"31026",0),', '(1,"AT&T",,"310410",0),,(0,1,3),(0,2)']);
    expect(r).toEqual([
      { status: "current", long: "T - Mobile", numeric: "31026", act: "gsm" },
      { status: "available", long: "AT&T", numeric: "310410", act: "gsm" },
    ]);
  });

  it("Sony-Ericsson K600i: no AcT (MM assumes GSM; we report none), forbidden, duplicates kept", () => {
    const r = parseCopsTest(['+COPS: (2,"blau","","26203"),(2,"blau","","26203"),(3,"","","26201")']);
    expect(r).toEqual([
      { status: "current", long: "blau", numeric: "26203" },
      { status: "current", long: "blau", numeric: "26203" },
      { status: "forbidden", numeric: "26201" },
    ]);
  });

  it("Samsung Z810: a comma inside a quoted name", () => {
    expect(
      parseCopsTest(['+COPS: (1,"T-Mobile USA, In","T-Mobile","310260",0),(1,"AT&T","AT&T","310410",0),,(0,1,2,3,4),(0,1,2)'])[0]
        ?.long,
    ).toBe("T-Mobile USA, In");
  });

  it("u-blox LARA in UCS2: names and numerics are UCS2 hex", () => {
    const r = parseCopsTest(
      ['+COPS: (2,"004D006F007600690073007400610072","004D006F007600690073007400610072","00320031003400300037",7)'],
      { charset: "UCS2" },
    );
    expect(r).toEqual([{ status: "current", long: "Movistar", short: "Movistar", numeric: "21407", act: "lte" }]);
  });

  it("Sierra EM9191: 5G entry and a missing comma before the mode list", () => {
    const r = parseCopsTest([
      '+COPS: (1,"Telekom.de","TDG","26201",12),(1,"Telekom.de","Telekom.","26201",7),(1,"o2 - de","o2 - ' +
        'de","26203",7),(1,"vodafone.de","Vodafone","26202",7)(0,1,2,3,4),(0,1,2)',
    ]);
    expect(r.map((e) => e.act)).toEqual(["ng-ran", "lte", "lte", "lte"]);
  });

  it.each([["+COPS: (0,1,2,3),(1,2,3,4)"], ["+COPS: (0,1,2,3,4),(1,2,3,4,5)"]])("no operators and no error: %s", (line) => {
    expect(parseCopsTest([line])).toEqual([]);
  });

  it("rejects a reply without +COPS", () => {
    expect(() => parseCopsTest(["OK"])).toThrow(expect.objectContaining({ code: "CG_ERR_MODEM_PARSE" }));
  });
});
