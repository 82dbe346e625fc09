import { describe, expect, it } from "vitest";
import { parseCgsnExec, parseCimiExec, parseIdentityText } from "../../../src/modem/parsers/index.js";

describe("identity replies (python-gsmmodem fakemodems, gammu at-model dumps)", () => {
  it.each([
    ["Wavecom AT+CGMI, leading space", [" WAVECOM MODEM"], "WAVECOM MODEM"],
    ["Wavecom AT+CGMM, double spaces", [" MULTIBAND  900E  1800 "], "MULTIBAND 900E 1800"],
    ["Huawei K3715 AT+CGMR", ["11.104.05.00.00"], "11.104.05.00.00"],
    [
      "Qualcomm M6280 AT+CGMR",
      ["M6280_V1.0.0 M6280_V1.0.0 1 [Sep 4 2008 12:00:00]"],
      "M6280_V1.0.0 M6280_V1.0.0 1 [Sep 4 2008 12:00:00]",
    ],
    [
      "Nokia N79 AT+CGMR, several lines",
      ["V ICPR72_08w44.1", "24-11-08", "RM-348", "(c) Nokia", "11.049"],
      "V ICPR72_08w44.1 24-11-08 RM-348 (c) Nokia 11.049",
    ],
    ["SIMCom AT+CGMR with prefix", ["+CGMR: LE11B12SIM7600M22"], "LE11B12SIM7600M22"],
    [
      "SIM7080 AT+CGMR with a label, no space (docs/modems/simcom-sim7080.md, a real session log)",
      ["Revision:1951B16SIM7080"],
      "1951B16SIM7080",
    ],
    ["gammu 02.dump", ["Nokia 5210"], "Nokia 5210"],
  ])("%s", (_label, lines, want) => {
    expect(parseIdentityText(lines, "+CGMR")).toBe(want);
  });

  it("rejects an empty reply", () => {
    expect(() => parseIdentityText([], "+CGMI")).toThrow(expect.objectContaining({ code: "CG_ERR_MODEM_PARSE" }));
  });

  it.each([
    ["Huawei E1550", ["235012412595195"], { imei: "235012412595195", luhnValid: false }],
    ["python-gsmmodem placeholder", ["111111111111111"], { imei: "111111111111111", luhnValid: false }],
    ["Luhn-valid", ["490154203237518"], { imei: "490154203237518", luhnValid: true }],
    ["prefixed and quoted", ['+CGSN: "490154203237518"'], { imei: "490154203237518", luhnValid: true }],
  ])("IMEI: %s", (_label, lines, want) => {
    expect(parseCgsnExec(lines)).toEqual(want);
  });

  it("IMSI (python-gsmmodem test_imsi) and refusals", () => {
    expect(parseCimiExec(["987654321012345"])).toBe("987654321012345");
    expect(() => parseCimiExec(["ERROR-ish"])).toThrow(expect.objectContaining({ code: "CG_ERR_MODEM_PARSE" }));
    expect(() => parseCgsnExec(["12345"])).toThrow(expect.objectContaining({ code: "CG_ERR_MODEM_PARSE" }));
  });
});

describe("identity with a URC that slipped in (openwrt#25285)", () => {
  it("drops lines with another command's prefix", () => {
    expect(parseIdentityText(["+QIND: SMS DONE", "Quectel"], "+CGMI")).toBe("Quectel");
    expect(parseIdentityText(["+CGMR: LE11B12SIM7600M22"], "+CGMR")).toBe("LE11B12SIM7600M22");
  });
});
