import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodePdu } from "../../../src/sms/pdu/index.js";
import { fuzz, fuzzTimeout } from "../../helpers/fuzz.js";

// ModemManager's fuzzer contract: a value or a coded error, never a crash (or a TypeError).
const VECTORS = (
  JSON.parse(readFileSync(join(import.meta.dirname, "../../fixtures/pdu/sms-pdus.json"), "utf8")) as Array<{
    pdu: string;
    malformed?: boolean;
    has_smsc: boolean;
  }>
).filter((v) => !v.malformed && /^[0-9A-Fa-f]+$/.test(v.pdu));

function decode(hex: string, smsc: boolean, lenient: boolean): void {
  const pdu = decodePdu(hex, { smsc, lenient });
  expect(["deliver", "submit", "status-report"]).toContain(pdu.type);
  JSON.stringify(pdu); // and it is plain data
}
const codes = ["CG_ERR_PDU_DECODE"] as const;

describe("fuzz: decodePdu", () => {
  it(
    "random hex",
    () => {
      fuzz(
        "pdu decoder, random bytes",
        fc.tuple(fc.uint8Array({ maxLength: 200 }), fc.boolean(), fc.boolean()),
        ([b, smsc, lenient]) => decode(Buffer.from(b).toString("hex"), smsc, lenient),
        { codes },
      );
    },
    fuzzTimeout(0.2),
  );

  it(
    "real PDUs mutated: bytes flipped, truncated, extended",
    () => {
      const mutation = fc.record({
        vector: fc.integer({ min: 0, max: VECTORS.length - 1 }),
        flips: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }),
        cut: fc.option(fc.nat(), { nil: undefined }),
        tail: fc.uint8Array({ maxLength: 4 }),
        lenient: fc.boolean(),
      });
      fuzz(
        "pdu decoder, real PDUs mutated",
        mutation,
        (m) => {
          const v = VECTORS[m.vector]!;
          const bytes = Buffer.from(v.pdu, "hex");
          for (const [at, value] of m.flips) if (bytes.length > 0) bytes[at % bytes.length] = value;
          const cut = m.cut === undefined ? bytes : bytes.subarray(0, m.cut % (bytes.length + 1));
          decode(Buffer.concat([cut, m.tail]).toString("hex"), v.has_smsc, m.lenient);
        },
        { codes },
      );
    },
    fuzzTimeout(0.2),
  );

  it(
    "arbitrary strings",
    () => {
      fuzz("pdu decoder, arbitrary strings", fc.string({ maxLength: 80 }), (s) => decode(s, true, false), { codes });
    },
    fuzzTimeout(0.2),
  );
});
