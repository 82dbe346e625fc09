import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { isCellgateError } from "../../../src/core/index.js";
import { encodeDeliver, encodeSubmit } from "../../../src/sms/pdu/index.js";

// Encoders checked against the vectors' PDUs byte for byte (not by a round trip through our decoder).
const VECTORS = JSON.parse(readFileSync(join(import.meta.dirname, "../../fixtures/pdu/sms-pdus.json"), "utf8")) as Array<{
  id: string;
  pdu: string;
}>;
const pduOf = (id: string) => VECTORS.find((v) => v.id === id)!.pdu.toUpperCase();
/** The TPDU of a vector with an SMSC part, its message reference set to 00 (the modem assigns it). */
const tpduOf = (id: string) => {
  const pdu = pduOf(id);
  const tpdu = pdu.slice(2 + Number.parseInt(pdu.slice(0, 2), 16) * 2);
  return `${tpdu.slice(0, 2)}00${tpdu.slice(4)}`;
};

describe("encodeSubmit against the vectors", () => {
  it.each([
    ["npdu-natl-submit: national short number", { to: "999", text: "Hello" }],
    ["w618-submit-pdumode: international", { to: "+12345", text: "Hello world" }],
    ["pgm-8bit-submit: 8-bit data", { to: "+27821234567", data: Buffer.from("Hello world!") }],
    ["pgm-ucs2-submit: UCS2 when GSM 7-bit cannot", { to: "+34616585119", text: "あ叶葉" }],
    // This source leaves the 7 spare bits zero; 23.038 recommends CR, our default.
    [
      "pgm-submit-validity: status report requested, 3 days validity",
      { to: "+31628870634", text: "www.diafaan.com", statusReport: true, validityMinutes: 3 * 1440, padCr: false },
    ],
  ])("%s", (label, input) => {
    const id = label.split(":")[0]!;
    const r = encodeSubmit(input);
    expect(r.hex.slice(2)).toBe(tpduOf(id));
    expect(r.hex.slice(0, 2)).toBe("00"); // the modem's configured SMSC
    expect(r.tpduLength).toBe(r.hex.length / 2 - 1);
  });

  it("a Command to the short code 2936: TOA 0x81, GSM 7-bit", () => {
    // Computed by hand: 2936 → 04 81 9263; "status ok" packed.
    expect(encodeSubmit({ to: "2936", text: "status ok" })).toEqual({
      hex: "00010004819263000009737A985E9F83DE6B",
      tpduLength: 17,
      encoding: "gsm7",
    });
    expect(encodeSubmit({ to: "000", text: "x" }).hex.slice(6, 14)).toBe("038100F0"); // Super SIM: 000
  });

  it.each([
    ["161 GSM 7-bit characters", { to: "2936", text: "a".repeat(161) }, /161 GSM 7-bit characters do not fit one SMS \(160\)/],
    ["81 euro signs (2 septets each)", { to: "2936", text: "€".repeat(81) }, /162 GSM 7-bit characters/],
    ["71 UCS2 units", { to: "2936", text: "あ".repeat(71) }, /71 UCS2 units do not fit one SMS \(70\)/],
    ["141 octets", { to: "2936", data: new Uint8Array(141) }, /141 octets of data do not fit one SMS \(140\)/],
    ["neither text nor data", { to: "2936" }, /exactly one of text or data/],
  ])("refuses %s with CG_ERR_PDU_ENCODE", (_label, input, message) => {
    let err: unknown;
    try {
      encodeSubmit(input);
    } catch (e) {
      err = e;
    }
    expect(isCellgateError(err, "CG_ERR_PDU_ENCODE")).toBe(true);
    expect((err as Error).message).toMatch(message);
  });

  it("exactly 160 GSM 7-bit characters and 70 UCS2 units fit", () => {
    // FO, MR, DA (4), PID, DCS, UDL, then 140 octets.
    expect(encodeSubmit({ to: "2936", text: "a".repeat(160) }).tpduLength).toBe(9 + 140);
    expect(encodeSubmit({ to: "2936", text: "😀".repeat(35) }).encoding).toBe("ucs2");
  });
});

describe("encodeDeliver against the vectors (the simulator's network side)", () => {
  it.each([
    [
      "npdu-simple",
      {
        smsc: "+79037011111",
        from: "+79642161111",
        epochMs: Date.parse("2018-11-07T20:21:22+08:00"),
        tzMinutes: 480,
        text: "Hello, world!",
        moreMessages: true,
      },
    ],
    [
      "npdu-concat16-0x1234-1of2",
      {
        smsc: "+79037011111",
        from: "+79642161111",
        epochMs: Date.parse("2018-11-07T20:21:22+08:00"),
        tzMinutes: 480,
        text: "Hello,",
        moreMessages: true,
        concat: { ref: 0x1234, total: 2, part: 1, refBits: 16 as const },
      },
    ],
    [
      "pmsg-ucs2-zh",
      {
        smsc: "+34607003110",
        from: "+34610789702",
        epochMs: Date.parse("2008-06-24T09:22:04+02:00"),
        tzMinutes: 120,
        text: "中兴通讯",
        moreMessages: false,
      },
    ],
    [
      "npdu-alnum-telfort",
      {
        smsc: "+31626000230",
        from: "Telfort",
        epochMs: Date.parse("2011-12-13T13:12:11+01:00"),
        tzMinutes: 60,
        text: "Welcome to Telfort",
        moreMessages: true,
      },
    ],
  ])("%s", (id, input) => {
    expect(encodeDeliver(input).hex).toBe(pduOf(id));
  });
});
