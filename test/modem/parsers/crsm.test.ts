import { describe, expect, it } from "vitest";
import { decodePlmnList, parseCrsm, simOk } from "../../../src/modem/parsers/index.js";

// +CRSM replies as modules print them (27.007 §8.18) and EF_FPLMN as TS 31.102 §4.2.16 / TS 24.008
// §10.5.1.13 code it. Sources: the RUT900 forbidden-list note (blog.weinreich.org, 2019: a read of an
// empty list, the update `+CRSM: 144,0,""` and 26201 written as 62F210), hardwario's nRF9160 driver
// (the same update reply), TS 102 221 §10.2.1 status words.
describe("parseCrsm", () => {
  it.each<[string, string, { sw1: number; sw2: number; data: string }]>([
    [
      "an empty EF_FPLMN (RUT900, nRF9160)",
      '+CRSM: 144,0,"FFFFFFFFFFFFFFFFFFFFFFFF"',
      { sw1: 144, sw2: 0, data: "F".repeat(24) },
    ],
    ["an update (RUT900, nRF9160)", '+CRSM: 144,0,""', { sw1: 144, sw2: 0, data: "" }],
    ["an update, the response left out", "+CRSM: 144,0", { sw1: 144, sw2: 0, data: "" }],
    ["file not found (TS 102 221: 6A 82)", "+CRSM: 106,130", { sw1: 106, sw2: 130, data: "" }],
    ["lower-case hex, no space", '+CRSM:144,0,"62f210ffffff"', { sw1: 144, sw2: 0, data: "62F210FFFFFF" }],
  ])("%s", (_name, line, want) => expect(parseCrsm([line])).toEqual(want));

  it.each([
    ["no +CRSM line", "OK"],
    ["no status words", "+CRSM: "],
    ["a response that is not hex", '+CRSM: 144,0,"XYZ1"'],
    ["half a byte", '+CRSM: 144,0,"FFF"'],
  ])("%s is a parse error that quotes the reply", (_name, line) => {
    expect(() => parseCrsm([line])).toThrow(expect.objectContaining({ code: "CG_ERR_MODEM_PARSE" }));
  });

  it("90 00 and 91 xx complete; 6A 82 does not", () => {
    expect([parseCrsm(["+CRSM: 144,0"]), parseCrsm(["+CRSM: 145,20"]), parseCrsm(["+CRSM: 106,130"])].map(simOk)).toEqual([
      true,
      true,
      false,
    ]);
  });
});

describe("decodePlmnList (EF_FPLMN)", () => {
  it.each<[string, string, string[]]>([
    ["empty (four unused slots)", "FFFFFFFFFFFFFFFFFFFFFFFF", []],
    ["26201, Telekom DE (RUT900 note)", "62F210FFFFFFFFFFFFFFFFFF", ["26201"]],
    ["310260, T-Mobile US: a three-digit MNC", "130062FFFFFFFFFFFFFFFFFF", ["310260"]],
    ["310410 and 23415, an unused slot between", "130014FFFFFF32F451FFFFFF", ["310410", "23415"]],
    ["no bytes", "", []],
  ])("%s", (_name, hex, want) => expect(decodePlmnList(hex)).toEqual(want));

  it.each([
    ["not whole entries", "62F2"],
    ["an entry that is no PLMN", "ABCDEFFFFFFF"],
  ])("%s is refused with the bytes named", (_name, hex) => {
    expect(() => decodePlmnList(hex)).toThrow(new RegExp(`EF_FPLMN.*${hex}`));
  });
});
