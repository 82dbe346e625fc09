import { describe, expect, it } from "vitest";
import { parseCesqExec, parseCsqExec } from "../../../src/modem/parsers/index.js";

// Replies from python-gsmmodem's test/test_modem.py (test_signalStrength) and ModemManager's
// src/tests/test-modem-helpers.c (cesq_response_tests), labelled as the sources label them.
describe("parseCsqExec (python-gsmmodem test_signalStrength, ModemManager csq)", () => {
  it.each([
    ["python-gsmmodem", "+CSQ: 18,99", { rssiDbm: -77, ber: null }],
    ["python-gsmmodem, no space after the colon", "+CSQ:4,0", { rssiDbm: -105, ber: 0 }],
    ["python-gsmmodem, 99 = unknown", "+CSQ: 99,99", { rssiDbm: null, ber: null }],
    ["27.007 bounds: 0 is -113 dBm or less", "+CSQ: 0,7", { rssiDbm: -113, ber: 7 }],
    ["27.007 bounds: 31 is -51 dBm or more", "+CSQ: 31,99", { rssiDbm: -51, ber: null }],
    ["27.007 TD-SCDMA extension", "+CSQ: 150,99", { rssiDbm: -66, ber: null }],
  ])("%s: %s", (_src, line, want) => {
    expect(parseCsqExec([line])).toEqual(want);
  });

  it.each([
    ["python-gsmmodem: OK only, no +CSQ line", []],
    ["not numbers", ["+CSQ: a,b"]],
    ["one field", ["+CSQ: 18"]],
  ])("rejects %s", (_label, lines) => {
    expect(() => parseCsqExec(lines)).toThrow(expect.objectContaining({ code: "CG_ERR_MODEM_PARSE" }));
  });
});

describe("parseCesqExec (ModemManager cesq_response_tests)", () => {
  it.each([
    ["LTE only", "+CESQ: 99,99,255,255,20,80", { lte: { rsrpDbm: -61, rsrqDb: -10 } }],
    ["UMTS only", "+CESQ: 99,99,95,40,255,255", { umts: { rscpDbm: -26, ecnoDb: -4.5 } }],
    ["GSM only", "+CESQ: 10,6,255,255,255,255", { gsm: { rssiDbm: -101, ber: 6 } }],
    ["GSM only, no space after ':'", "+CESQ:10,6,255,255,255,255", { gsm: { rssiDbm: -101, ber: 6 } }],
  ])("%s: %s", (_label, line, want) => {
    expect(parseCesqExec(line)).toEqual(want);
  });

  it("rejects a short reply and quotes it", () => {
    expect(() => parseCesqExec("+CESQ: 99,99,255")).toThrow(/\+CESQ.*99,99,255/);
  });
});
