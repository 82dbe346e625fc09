import { describe, expect, it } from "vitest";
import { parseCpinRead, parseIccid, parseIccidReply, simStateFromCme } from "../../../src/modem/parsers/index.js";

describe("parseCpinRead (ModemManager test_cpin_responses, python-gsmmodem fakemodems)", () => {
  it.each([
    ["python-gsmmodem", "+CPIN: READY", "ready"],
    ["MM", "+CPIN: SIM PIN", "sim-pin"],
    ["MM", "+CPIN: SIM PUK2", "sim-puk2"],
    ["MM, no prefix", "   SIM PUK", "sim-puk"],
    ["MM, no prefix", "   SIM PUK2", "sim-puk2"],
    ["MM, quoted", '+CPIN: "SIM PIN"', "sim-pin"],
    ["MM", "+CPIN: PH-NET PIN", "ph-net-pin"],
    ["no space after the colon", "+CPIN:READY", "ready"],
    ["a code 27.007 may add later", "+CPIN: PH-FSIM PIN", "unknown"],
  ])("%s: %j", (_src, line, want) => {
    expect(parseCpinRead([line])).toBe(want);
  });

  it("maps +CME ERROR on AT+CPIN? (MM: +CME ERROR: 100 → unknown)", () => {
    expect([10, 13, 14, 100, undefined].map(simStateFromCme)).toEqual(["absent", "failure", "busy", "unknown", "unknown"]);
  });

  it("rejects a reply with no +CPIN", () => {
    expect(() => parseCpinRead(["OK?"])).toThrow(expect.objectContaining({ code: "CG_ERR_MODEM_PARSE" }));
  });
});

describe("parseIccid (ModemManager test_iccid_parse_*)", () => {
  it.each([
    ['"984402003576012594F9"', "8944200053671052499", "quoted, swapped, 19 digits"],
    ["98231420326409614067", "89324102234690160476", "unquoted, swapped, 20"],
    ["8944200053671052499F", "8944200053671052499", "unswapped, trailing F"],
    ["8944200053671052499", "8944200053671052499", "plain 19"],
    ['"89324102234690160476"', "89324102234690160476", "quoted 20"],
    ['"898602F9091830030220"', "898602F9091830030220", "hex digit in the account part"],
    ['"898602C0123456789012"', "898602C0123456789012", "hex digit in the account part"],
    ["8939103320004650065f", "8939103320004650065", "SIM800L +CCID, lower-case f"],
  ])("%s → %s (%s)", (raw, want) => {
    expect(parseIccid(raw)).toBe(want);
  });

  it.each([
    ["982314203264096", "15 digits"],
    ["98231420326pl9614067", "invalid characters"],
    ['"0044200053671052499"', "MII is not 89"],
    ["0044200053671052499", "MII is not 89"],
  ])("rejects %s (%s)", (raw) => {
    expect(() => parseIccid(raw)).toThrow(expect.objectContaining({ code: "CG_ERR_MODEM_PARSE" }));
  });

  it.each([
    ["Quectel AT+QCCID", ["+QCCID: 89883030000123456789"]],
    ["SIMCom AT+CICCID", ["+ICCID: 89883030000123456789"]],
    ["u-blox AT+CCID", ["+CCID: 89883030000123456789"]],
    ["Huawei AT^ICCID?", ["^ICCID: 98880303001032547698"]],
    ["Telit AT#CCID", ["#CCID: 89883030000123456789"]],
    ["bare value", ["89883030000123456789"]],
  ])("%s reply", (_label, lines) => {
    expect(parseIccidReply(lines)).toMatch(/^89883030000/);
  });
});
