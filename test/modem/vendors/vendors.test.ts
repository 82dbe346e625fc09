import { describe, expect, it } from "vitest";
import {
  chooseProfile,
  parseCpsiRead,
  parseQcsqExec,
  parseQengServingcell,
  parseQssRead,
  parseRfstsExec,
  parseQnwinfoExec,
  parseUcgedMode5,
  parseUcgedRead,
  parseXmonitor,
} from "../../../src/modem/vendors/index.js";

// Replies from public transcripts and the vendors' manuals (docs/modems/); labels as the sources give them.
describe('Quectel +QENG="servingcell"', () => {
  it("EG25-G (PinePhone; meta-qcom cell.h comment, line broken after +QENG:)", () => {
    const r = parseQengServingcell([
      "+QENG:",
      '"servingcell","NOCONN","LTE","FDD",214,01,7676A09,188,6300,20,3,3,603,-104,-9,-78,11,23',
    ]);
    expect(r).toEqual({
      source: "+QENG",
      rat: "LTE",
      state: "NOCONN",
      mcc: "214",
      mnc: "01",
      ci: 0x7676a09,
      pci: 188,
      earfcn: 6300,
      band: "B20",
      tac: 0x603,
      rsrpDbm: -104,
      rsrqDb: -9,
      rssiDbm: -78,
      sinrDb: 11,
    });
  });

  it("BG96 CAT-M with a missing srxlev", () => {
    const r = parseQengServingcell([
      '+QENG: "servingcell","CONNECT","CAT-M","FDD",262,03,2FAA03,187,6200,20,3,3,2AFB,-105,-11,-76,10,-',
    ]);
    expect(r).toMatchObject({ rat: "CAT-M", mcc: "262", mnc: "03", ci: 0x2faa03, tac: 0x2afb, rsrpDbm: -105, sinrDb: 10 });
  });

  it("WCDMA and GSM forms (unconfirmed provenance: tolerance only)", () => {
    expect(
      parseQengServingcell(['+QENG: "servingcell","NOCONN","WCDMA",515,03,3AB2,B55EEFF,3037,352,1,-94,-15,-,-,-,-,-']),
    ).toMatchObject({
      rat: "WCDMA",
      mcc: "515",
      lac: 0x3ab2,
      ci: 0xb55eeff,
    });
    expect(
      parseQengServingcell([
        '+QENG: "servingcell","NOCONN","GSM",515,03,2BC6,162C,58,40,-,-81,255,255,0,22,-28,1,-,-,-,-,-,-,-,-,-,"-"',
      ]),
    ).toMatchObject({
      rat: "GSM",
      lac: 0x2bc6,
      ci: 0x162c,
    });
  });

  it('"SEARCH": not camped', () => {
    expect(parseQengServingcell(['+QENG: "servingcell","SEARCH"'])).toBeNull();
  });

  it("QCSQ: LTE SINR is raw/5-20 dB; NOSERVICE", () => {
    expect(parseQcsqExec(['+QCSQ: "LTE",-52,-73,255,-7'])).toEqual({
      rat: "LTE",
      rssiDbm: -52,
      rsrpDbm: -73,
      sinrDb: 31,
      rsrqDb: -7,
    });
    expect(parseQcsqExec(['+QCSQ: "NOSERVICE"'])).toEqual({ rat: "NOSERVICE" });
    expect(() => parseQcsqExec(["+QCSQ: "])).toThrow(expect.objectContaining({ code: "CG_ERR_MODEM_PARSE" }));
  });
});

describe("SIMCom +CPSI?", () => {
  it("SIM7600 with RSRQ/RSRP/RSSI in tenths", () => {
    expect(parseCpsiRead(["+CPSI: LTE,Online,460-01,0x7496,251941991,203,EUTRAN-BAND8,3740,3,3,-92,-672,-418,14"])).toEqual({
      source: "+CPSI",
      rat: "LTE",
      state: "Online",
      mcc: "460",
      mnc: "01",
      tac: 0x7496,
      ci: 251941991,
      pci: 203,
      band: "B8",
      earfcn: 3740,
      rsrqDb: -9.2,
      rsrpDbm: -67.2,
      rssiDbm: -41.8,
      sinrDb: 14,
    });
  });

  it("Waveshare manual sample", () => {
    expect(parseCpsiRead(["+CPSI: LTE,Online,404-45,0x21F9,322642,453,EUTRAN-BAND40,39275,4,4,-168,-1126,-773,7"])).toMatchObject(
      {
        rsrqDb: -16.8,
        rsrpDbm: -112.6,
        rssiDbm: -77.3,
      },
    );
  });

  it("manual sample with values plausible in neither unit: unknown, not invented", () => {
    expect(parseCpsiRead(["+CPSI: LTE,Online,460-11,0x774B,126375687,303,EUTRAN-BAND1,100,5,0,12,36,42,5"])).toMatchObject({
      rsrqDb: null,
      rsrpDbm: null,
      rssiDbm: null,
      sinrDb: 5,
    });
  });

  it("GSM form and NO SERVICE", () => {
    expect(parseCpsiRead(["+CPSI: GSM,Online,216-30,0x0D45,5513,32,EGSM 900,-68,0,42-42"])).toMatchObject({
      rat: "GSM",
      mcc: "216",
      mnc: "30",
      lac: 0x0d45,
      ci: 5513,
    });
    expect(parseCpsiRead(["+CPSI: NO SERVICE,Online"])).toBeNull();
  });
});

describe("u-blox +UCGED? mode 2", () => {
  it.each([
    [
      "SARA-R5 (ubxlib comment)",
      "6,4,001,01",
      "2525,5,50,50,e8fe,1a2d001,1,d60814d1,8001,01,28,31,13.75,3,1,10,28,-50,-6,0,255,255,0",
      {
        rat: "CAT-M",
        mcc: "001",
        mnc: "01",
        earfcn: 2525,
        band: "B5",
        tac: 0xe8fe,
        ci: 0x1a2d001,
        pci: 1,
        rsrpDbm: -113,
        rsrqDb: -4.5,
        sinrDb: 13.75,
      },
    ],
    [
      "SARA-R5 field log",
      "6,0,001,01",
      "2525,5,25,50,2b67,69f6bc7,111,00000000,ffff,ff,67,19,0.00,255,255,255,67,11,255,0,255,255,0,0,0",
      { rsrpDbm: -74, rsrqDb: -10.5, sinrDb: 0, tac: 0x2b67 },
    ],
    [
      "not registered: MCC fff, tac ffff, cell 0",
      "6,4,fff,fff",
      "5110,13,50,50,ffff,0000000,254,d0fafd59,ff49,b1,27,15,0.50,1,255,255,28,255,255,0,255,255,0",
      { rat: "CAT-M", earfcn: 5110, rsrpDbm: -114, rsrqDb: -12.5 },
    ],
  ])("%s", (_label, head, lte, want) => {
    const r = parseUcgedRead(["+UCGED: 2", head, lte]);
    expect(r).toMatchObject(want);
    if (head.includes("fff")) {
      expect(r).not.toHaveProperty("mcc");
      expect(r).not.toHaveProperty("tac");
      expect(r).not.toHaveProperty("ci");
    }
  });

  it("refuses another mode", () => {
    expect(() => parseUcgedRead(["+UCGED: 5"])).toThrow(/mode 2/);
  });
});

describe("Telit #RFSTS", () => {
  it.each([
    [
      "LM960 reference guide",
      '#RFSTS: "311 480",66536,-103,-68,-15,0D00,255,,1280,1,0,033C416,"000000000000000","Verizon",3,66',
      {
        rat: "LTE",
        mcc: "311",
        mnc: "480",
        earfcn: 66536,
        rsrpDbm: -103,
        rssiDbm: -68,
        rsrqDb: -15,
        tac: 0x0d00,
        ci: 0x033c416,
        band: "B66",
      },
    ],
    [
      "MikroTik at-chat, AT&T",
      '#RFSTS: "310 410",800,-93,-59,-14,8B1E,255,-5,1280,19,2,A204123,"310410123456789","AT&T",3,2',
      { rat: "LTE", mcc: "310", mnc: "410", rsrpDbm: -93, tac: 0x8b1e, ci: 0xa204123, band: "B2" },
    ],
    [
      "Turkcell, firmware without TXPWR",
      '#RFSTS: "286 01",1795,-101,-67,-15,2242,,128,3,1,0B5D121,"286016339612498","Turkcell",3,3,108',
      { rat: "LTE", earfcn: 1795, rsrpDbm: -101, tac: 0x2242, ci: 0xb5d121 },
    ],
    [
      "GSM (atcommander test comment)",
      '#RFSTS: "204 04",1001,-80,00DE,01,5,19,10,2,9878,"204007930002270","vodafone NL",1,2',
      { rat: "GSM", mcc: "204", mnc: "04", rssiDbm: -80, lac: 0xde, ci: 0x9878 },
    ],
  ])("%s", (_label, line, want) => {
    expect(parseRfstsExec([line])).toMatchObject(want);
  });

  it("refuses a reply without the IMSI anchor", () => {
    expect(() => parseRfstsExec(['#RFSTS: "311 480",1,2,3,4,5,6,7,8,9,10'])).toThrow(/IMSI/);
  });

  it.each([
    ["#QSS: 0,0", "removed"],
    ["#QSS: 1,0", "removed"],
    ["#QSS: 0,1", "inserted"],
    ["#QSS: 0,2", "inserted-unlocked"],
    ["#QSS: 0,3", "ready"],
    ["#QSS:0,3", "ready"],
    ["#QSS: 0, 3", "ready"],
  ])("#QSS (ModemManager telit tests): %s", (line, want) => {
    expect(parseQssRead([line])).toBe(want);
  });

  it("#QSS errors as ModemManager's", () => {
    expect(() => parseQssRead(["#QSS: 0"])).toThrow(/#QSS: 0/);
    expect(() => parseQssRead(["#QSS: 0,5"])).toThrow(/unknown QSS status value 5/);
  });
});

describe("SIMCom +CPSI? on LTE-M / NB-IoT modules (SIM7080G, FreeRTOS SIM70x0 interface comment)", () => {
  it("LTE CAT-M1: unscaled levels, 0x TAC, decimal cell id", () => {
    expect(parseCpsiRead(["+CPSI: LTE CAT-M1,Online,440-52,0x6061,33815299,94,EUTRAN-BAND18,5900,3,3,-8,-84,-60,18"])).toEqual({
      source: "+CPSI",
      rat: "LTE CAT-M1",
      state: "Online",
      mcc: "440",
      mnc: "52",
      tac: 0x6061,
      ci: 33815299,
      pci: 94,
      band: "B18",
      earfcn: 5900,
      rsrqDb: -8,
      rsrpDbm: -84,
      rssiDbm: -60,
      sinrDb: 18,
    });
  });

  it("LTE NB-IOT", () => {
    expect(
      parseCpsiRead(["+CPSI: LTE NB-IOT,Online,440-20,0x1182,10171378,293,EUTRAN-BAND8,3740,0,0,-12,-75,-63,13"]),
    ).toMatchObject({
      rat: "LTE NB-IOT",
      tac: 0x1182,
      band: "B8",
      rsrpDbm: -75,
    });
  });
});

describe("Quectel +QNWINFO (EC2x manual §6.9; BG95/BG77 capture)", () => {
  it.each([
    ['+QNWINFO: "FDD LTE",46011,"LTE BAND 3",1650', { act: "FDD LTE", band: "B3", channel: 1650 }],
    ['+QNWINFO: "eMTC","24701","LTE BAND 20",6300', { act: "eMTC", band: "B20", channel: 6300 }],
    ['+QNWINFO: "EDGE","51503","GSM 1800",698', { act: "EDGE", channel: 698 }],
  ])("%s", (line, want) => expect(parseQnwinfoExec([line])).toEqual(want));

  it("no service is null; a reply without the line is a parse error", () => {
    expect(parseQnwinfoExec(['+QNWINFO: "No Service"'])).toBeNull();
    expect(() => parseQnwinfoExec(["OK"])).toThrow(expect.objectContaining({ code: "CG_ERR_MODEM_PARSE" }));
  });
});

describe("u-blox +UCGED? mode 5 (SARA-R410M)", () => {
  it("the serving cell's RSRP and RSRQ, trailing comma and all", () => {
    expect(parseUcgedMode5(['+RSRP: 162,5110,"-075.00",', '+RSRQ: 162,5110,"-14.20",'])).toEqual({
      source: "+UCGED",
      rat: "LTE",
      pci: 162,
      earfcn: 5110,
      rsrpDbm: -75,
      rsrqDb: -14.2,
    });
  });

  it("nothing measured is null", () => expect(parseUcgedMode5(["+UCGED: 5"])).toBeNull());
});

describe("Nordic %XMONITOR (nRF91 AT reference §8.15)", () => {
  it("the manual's example: LTE-M, band 4, RSRP index 63, SNR index 39", () => {
    const line = '%XMONITOR: 1,"EDAV","EDAV","26295","00B7",7,4,"00011B07",7,2300,63,39,"","11100000","11100000","00000000"';
    expect(parseXmonitor([line])).toEqual({
      source: "%XMONITOR",
      rat: "LTE-M",
      mcc: "262",
      mnc: "95",
      tac: 0xb7,
      band: "B4",
      ci: 0x11b07,
      pci: 7,
      earfcn: 2300,
      rsrpDbm: -77,
      sinrDb: 15,
    });
  });

  it("a device with empty operator names", () => {
    const line = '%XMONITOR: 1,"","","24201","81AE",7,20,"0331C805",281,6400,53,42,"","00100001","00000110","01011111"';
    expect(parseXmonitor([line])).toMatchObject({ mcc: "242", mnc: "01", band: "B20", rsrpDbm: -87, sinrDb: 18 });
  });

  it("NB-IoT; unknown RSRP (255) and SNR (127) are null", () => {
    const line = '%XMONITOR: 5,"","","26201","0140",9,20,"0108A82E",17,6352,255,127,"","","",""';
    expect(parseXmonitor([line])).toMatchObject({ rat: "NB-IoT", rsrpDbm: null, sinrDb: null });
  });

  it("not registered: the status alone, no cell", () => {
    expect(parseXmonitor(["%XMONITOR: 2"])).toBeNull();
    expect(() => parseXmonitor(["%XMONITOR: x"])).toThrow(expect.objectContaining({ code: "CG_ERR_MODEM_PARSE" }));
  });
});

describe("chooseProfile", () => {
  it.each([
    [{ manufacturer: "Quectel", model: "EC25" }, "quectel"],
    [{ manufacturer: "SIMCOM INCORPORATED", model: "SIMCOM_SIM7600G-H" }, "simcom"],
    [{ manufacturer: "u-blox", model: "SARA-R510M8S" }, "ublox"],
    [{ manufacturer: "Telit", model: "LE910C1-NF" }, "telit"],
    [{ manufacturer: "huawei", model: "E1550" }, "generic"],
  ])("%o → %s", (id, want) => {
    expect(chooseProfile(id).name).toBe(want);
  });

  it("a configured vendor wins", () => {
    expect(chooseProfile({ manufacturer: "huawei", model: "E1550" }, "quectel").name).toBe("quectel");
    expect(chooseProfile({ manufacturer: "Nordic Semiconductor ASA", model: "nRF9160-SICA" }).name).toBe("nordic");
  });
});
