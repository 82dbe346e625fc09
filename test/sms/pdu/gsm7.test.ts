import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { decodeSeptets, decodeUcs2, encodeSeptets, encodeUcs2, packSeptets, unpackSeptets } from "../../../src/sms/pdu/index.js";

// test/fixtures/pdu/gsm7-septets.json, every case (its sources: test/fixtures/pdu/README.md).
interface Case {
  source_test: string;
  text?: string;
  septets_hex?: string;
  packed_hex?: string;
  septet_count?: number;
  codeLen?: number;
  alignBits?: number;
  with_padding?: boolean;
  ucs2_hex?: string;
  expected_error?: string;
  note?: string;
}
const CASES = JSON.parse(readFileSync(join(import.meta.dirname, "../../fixtures/pdu/gsm7-septets.json"), "utf8")) as Case[];
const hex = (b: ArrayLike<number>) => Buffer.from(Uint8Array.from(b)).toString("hex").toUpperCase();
const bytes = (h: string) => Uint8Array.from(Buffer.from(h, "hex"));

// Cases that test a mode cellgate does not have, and why it does not have it.
const NOT_OURS: Record<string, string> = {
  "TestGsm7.test_encodeInvalidDiscard":
    "python-gsmmodem's discardInvalid drops characters; cellgate never drops text, it sends UCS2",
  'TestDecoderStrict "unknown ext"':
    "a strict decoder with a restricted extension table; cellgate follows 23.038's receiver rule (show the base character)",
  "GSMEncodingTestCase.test_8n_1_encode": "about stripping padding CRs without UDL; covered below with UDL honoured",
  "GSMEncodingTestCase.test_double_cr": "same: a decoder that honours UDL has no CR ambiguity",
};

describe("gsm7-septets.json", () => {
  const cases = CASES.map(
    (c, i) => [`${i} ${c.source_test} ${JSON.stringify(c.text ?? c.septets_hex ?? c.ucs2_hex)}`, c] as const,
  );
  it.each(cases)("%s", (_label, c) => {
    if (NOT_OURS[c.source_test]) return;
    if (c.ucs2_hex !== undefined) {
      const r = decodeUcs2(bytes(c.ucs2_hex));
      if (c.expected_error) {
        expect("error" in r).toBe(true);
        if (c.text !== undefined) expect(r.text).toBe(c.text);
      } else {
        expect(r).toEqual({ text: c.text });
        expect(hex(encodeUcs2(c.text!))).toBe(c.ucs2_hex);
      }
      return;
    }
    if (c.expected_error) {
      expect(encodeSeptets(c.text!)).toBeUndefined();
      return;
    }
    if (c.septets_hex !== undefined) {
      expect(decodeSeptets(bytes(c.septets_hex))).toBe(c.text);
      // Decoding-only cases (dangling / double escape) do not round-trip by design.
      if (!c.source_test.startsWith("TestDecode")) expect(hex(encodeSeptets(c.text!)!)).toBe(c.septets_hex);
    }
    if (c.packed_hex !== undefined) {
      const septets = encodeSeptets(c.text!)!;
      expect(hex(packSeptets(septets, c.alignBits ?? 0, c.with_padding ?? false))).toBe(c.packed_hex.toUpperCase());
      const count = c.codeLen ?? c.septet_count ?? septets.length;
      expect(decodeSeptets(unpackSeptets(bytes(c.packed_hex), count, c.alignBits ?? 0))).toBe(c.text);
    }
  });

  it("every case not run says why", () => {
    for (const name of Object.keys(NOT_OURS))
      expect(
        CASES.some((c) => c.source_test === name),
        name,
      ).toBe(true);
  });
});

describe("GSM 7-bit: padding and UDL", () => {
  it("pads 8n-1 septets with CR by default, and UDL keeps the reader from seeing it", () => {
    const septets = encodeSeptets("12345^")!;
    expect(septets).toHaveLength(7);
    const packed = packSeptets(septets);
    expect(packed).toHaveLength(7);
    expect(packed[6]! & 0xfe).toBe(0x0d << 1); // CR in the 7 spare bits
    expect(packSeptets(septets, 0, false)[6]! & 0xfe).toBe(0);
    expect(decodeSeptets(unpackSeptets(packed, 7))).toBe("12345^");
  });
});
