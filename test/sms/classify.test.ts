import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { assemble, classifyPdu, type Classified, type PartRecord } from "../../src/sms/index.js";

// classifyPdu and assemble against the PDU vectors of test/fixtures/pdu/sms-pdus.json (public
// decoders' test suites, sources named per vector): what the inbox does with each one it reads.
interface Vector {
  id: string;
  pdu: string;
  has_smsc: boolean;
  pdu_type?: string;
  text?: string;
  malformed?: boolean;
  udh?: { ref: number; total: number; part: number };
}
const VECTORS = JSON.parse(readFileSync(join(import.meta.dirname, "../fixtures/pdu/sms-pdus.json"), "utf8")) as Vector[];
const vector = (id: string) => VECTORS.find((v) => v.id === id)!;
/** As a modem gives it in PDU mode: a TPDU-only vector gets the empty SMSC octet in front. */
const read = (v: Vector) => (v.has_smsc ? v.pdu : `00${v.pdu}`);

const NOW = Date.parse("2026-11-30T12:00:00Z");
const pw = { product: "programmable-wireless" as const, now: NOW };
const message = (c: Classified) => (c.kind === "message" ? c.message : undefined);

// A DELIVER from 2936 written by hand after 3GPP TS 23.040 §9.2.2.1: no SMSC, first octet 04,
// OA 4 digits national (81) "2936", PID 00, DCS 00, SCTS 2026-11-30 12:34:00 +00, UDL 4 "ping".
const FROM_2936 = "000404819263000062110321430000" + "04F0B4FB0C";
// The same from 000 (Super SIM): OA 3 digits "000", padded with F.
const FROM_000 = "0004038100F0000062110321430000" + "04F0B4FB0C";

describe("classifyPdu: every vector, by what the inbox must do with it", () => {
  it.each(VECTORS.map((v) => [v.id, v] as const))("%s", (_id, v) => {
    const c = classifyPdu(read(v), pw);
    // pgm-ucs2-bad-udl declares 160 octets of user data and carries 10: strict decoding refuses it.
    if (v.malformed || v.pdu_type === undefined || v.id === "pgm-ucs2-bad-udl") {
      // Kept raw with a coded reason, never dropped: the operator sees what arrived.
      expect(message(c)).toMatchObject({ kind: "undecodable", pdus: [read(v)] });
      expect(message(c)?.error?.code).toMatch(/^CG_ERR_PDU/);
    } else if (v.pdu_type === "SMS-SUBMIT") {
      expect(c).toEqual({ kind: "not-inbound" });
    } else if (v.pdu_type === "SMS-STATUS-REPORT") {
      expect(message(c)?.kind).toBe("status-report");
      expect(message(c)?.statusReport?.status).toBeTypeOf("number");
    } else if (v.udh !== undefined && v.udh.total > 1) {
      expect(c).toMatchObject({ kind: "part", part: { ref: v.udh.ref, total: v.udh.total, part: v.udh.part, pdu: read(v) } });
    } else {
      // No vector comes from 2936: all of them are someone else's SMS, never run as a Command.
      expect(message(c)).toMatchObject({ kind: "foreign", pdus: [read(v)], receivedAt: "2026-11-30T12:00:00.000Z" });
      if (v.text !== undefined && message(c)?.encoding !== "8bit") expect(message(c)?.text).toBe(v.text);
    }
  });

  it("the same PDU read twice has the same id (a restart or a re-delivery is recognised)", () => {
    const a = message(classifyPdu(read(vector("npdu-simple")), pw))!;
    const b = message(classifyPdu(read(vector("npdu-simple")), { ...pw, now: NOW + 60_000 }))!;
    expect(a.id).toBe(b.id);
    expect(a.receivedAt).not.toBe(b.receivedAt);
  });

  it.each([
    ["from 2936, Programmable Wireless", FROM_2936, "programmable-wireless", "command"],
    ["from 2936, Super SIM", FROM_2936, "super-sim", "foreign"],
    ["from 000, Super SIM", FROM_000, "super-sim", "command"],
    ["from 000, Programmable Wireless", FROM_000, "programmable-wireless", "foreign"],
  ] as const)("a Command only from the product's own number: %s", (_name, hex, product, kind) => {
    expect(message(classifyPdu(hex, { product, now: NOW }))).toMatchObject({
      kind,
      text: "ping",
      timestamp: "2026-11-30T12:34:00+00:00",
    });
  });
});

describe("assemble: parts in order make one message", () => {
  const partsOf = (...ids: string[]) =>
    ids.map((id) => {
      const c = classifyPdu(read(vector(id)), pw);
      if (c.kind !== "part") throw new Error(`${id} is not a part`);
      return c.part;
    });

  it.each([
    [["npdu-concat8-1", "npdu-concat8-2"], "Hakuna matata"],
    [["npdu-concat16-0x1234-1of3", "npdu-concat16-0x1234-2of3", "npdu-concat16-0x1234-3of3"], "What's up, man?"],
    [["npdu-concat16-0x1235-1of2", "npdu-concat16-0x1235-2of2"], "Hi, world!"],
  ] as const)("%j", (ids, text) => {
    const parts = partsOf(...ids);
    const m = assemble(parts, pw);
    expect(m).toMatchObject({ kind: "foreign", text, concat: { total: ids.length, parts: parts.map((p) => p.part) } });
    expect(m.pdus).toEqual(ids.map((id) => read(vector(id))));
    expect(m.incomplete).toBeUndefined();
  });

  it("an expired message handed off with what arrived is flagged incomplete", () => {
    const m = assemble(partsOf("npdu-concat16-0x1234-1of3", "npdu-concat16-0x1234-3of3"), pw, true);
    expect(m).toMatchObject({ text: "What's man?", incomplete: true, concat: { total: 3, parts: [1, 3] } });
  });

  it("parts that mix 8-bit data and text are undecodable, with the reason", () => {
    const [a, b] = partsOf("npdu-concat8-1", "npdu-concat8-2") as [PartRecord, PartRecord];
    const m = assemble([a, { ...b, encoding: "8bit", dataHex: "00ff" }], pw);
    expect(m).toMatchObject({ kind: "undecodable", error: { code: "CG_ERR_PDU_DECODE", message: /mix 8-bit data and text/ } });
  });

  it("refuses to assemble nothing", () => {
    expect(() => assemble([], pw)).toThrow(/at least one part/);
  });
});
