import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CellgateError } from "../../../src/core/index.js";
import { decodePdu } from "../../../src/sms/pdu/index.js";

// ModemManager's fuzzer contract: a value or a coded error, never a crash (or a TypeError).
const VECTORS = (
  JSON.parse(readFileSync(join(import.meta.dirname, "../../fixtures/pdu/sms-pdus.json"), "utf8")) as Array<{
    pdu: string;
    malformed?: boolean;
    has_smsc: boolean;
  }>
).filter((v) => !v.malformed && /^[0-9A-Fa-f]+$/.test(v.pdu));

function valueOrCodedError(hex: string, smsc: boolean, lenient: boolean): void {
  try {
    const pdu = decodePdu(hex, { smsc, lenient });
    expect(["deliver", "submit", "status-report"]).toContain(pdu.type);
    JSON.stringify(pdu); // and it is plain data
  } catch (err) {
    if (!(err instanceof CellgateError) || err.code !== "CG_ERR_PDU_DECODE") throw err;
  }
}

describe("fuzz: decodePdu", () => {
  it("random hex", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.boolean(), fc.boolean(), (b, smsc, lenient) =>
        valueOrCodedError(Buffer.from(b).toString("hex"), smsc, lenient),
      ),
      { numRuns: 5000 },
    );
  });

  it("real PDUs mutated: bytes flipped, truncated, extended", () => {
    const mutation = fc.record({
      vector: fc.integer({ min: 0, max: VECTORS.length - 1 }),
      flips: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }),
      cut: fc.option(fc.nat(), { nil: undefined }),
      tail: fc.uint8Array({ maxLength: 4 }),
      lenient: fc.boolean(),
    });
    fc.assert(
      fc.property(mutation, (m) => {
        const v = VECTORS[m.vector]!;
        const bytes = Buffer.from(v.pdu, "hex");
        for (const [at, value] of m.flips) if (bytes.length > 0) bytes[at % bytes.length] = value;
        const cut = m.cut === undefined ? bytes : bytes.subarray(0, m.cut % (bytes.length + 1));
        valueOrCodedError(Buffer.concat([cut, m.tail]).toString("hex"), v.has_smsc, m.lenient);
      }),
      { numRuns: 5000 },
    );
  });

  it("arbitrary strings", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (s) => valueOrCodedError(s, true, false)),
      { numRuns: 2000 },
    );
  });
});
