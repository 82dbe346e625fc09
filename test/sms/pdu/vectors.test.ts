import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { isCellgateError } from "../../../src/core/index.js";
import { decodePdu, gsm7Length, type Pdu } from "../../../src/sms/pdu/index.js";

// Every vector of test/fixtures/pdu/sms-pdus.json (each names its source): what the source
// test asserts must match; every malformed vector must be a coded error.
interface Vector {
  id: string;
  pdu: string;
  has_smsc: boolean;
  pdu_type?: string;
  smsc?: string | null;
  sender?: string;
  recipient?: string;
  text?: string;
  data_hex?: string;
  encoding?: string;
  timestamp?: string;
  discharge?: string;
  message_reference?: number;
  delivery_status?: string;
  validity?: string;
  dcs?: string;
  user_data_size?: number;
  udh?: { ref: number; total: number; part: number; ref_bits: 8 | 16 };
  sr?: string;
  malformed?: boolean;
  lenient_text?: string;
  asserted?: string[];
  derived?: Record<string, unknown>;
}

const VECTORS = JSON.parse(readFileSync(join(import.meta.dirname, "../../fixtures/pdu/sms-pdus.json"), "utf8")) as Vector[];

/** Sources written by node-pdu compare numbers without "+"; compare the digits. */
const num = (s: string | null | undefined) => (s == null ? s : s.replace(/^\+/, ""));
const TYPE: Record<string, Pdu["type"]> = {
  "SMS-DELIVER": "deliver",
  "SMS-SUBMIT": "submit",
  "SMS-STATUS-REPORT": "status-report",
};

/** Python reprs in the vectors: datetime(2013, 7, 26, 14, 29, 31, tzinfo=SimpleOffsetTzInfo(2)) → ISO. */
function pyDatetime(s: string): string {
  const m = /datetime\((\d+), (\d+), (\d+), (\d+), (\d+)(?:, (\d+))?(?:, tzinfo=SimpleOffsetTzInfo\((-?\d+)\))?\)/.exec(s);
  if (m === null) throw new Error(`not a datetime repr: ${s}`);
  const p = (v: string | undefined) => String(Number(v ?? 0)).padStart(2, "0");
  const tz = m[7] === undefined ? "" : `${Number(m[7]) < 0 ? "-" : "+"}${p(String(Math.abs(Number(m[7]))))}:00`;
  return `${m[1]}-${p(m[2])}-${p(m[3])}T${p(m[4])}:${p(m[5])}:${p(m[6])}${tz}`;
}

// Where a source asserts a library quirk rather than the PDU's meaning, we decline it, and say why.
const DECLINED: Record<string, string> = {
  "pgm-cmgr-status-report": "smsc=None is python-gsmmodem's StatusReport object having no SMSC; the PDU has one",
  "pmsg-sr-unknown": "number SR-UNKNOWN / text '<recipient>|<scts>|' is python-messaging's pseudo-SMS for a status report",
};

const valid = VECTORS.filter((v) => !v.malformed && v.id !== "pgm-ucs2-bad-udl");
const malformed = VECTORS.filter((v) => v.malformed);

describe("sms-pdus.json: valid vectors, the fields the source asserts", () => {
  it.each(valid.map((v) => [v.id, v] as const))("%s", (_id, v) => {
    const pdu = decodePdu(v.pdu, { smsc: v.has_smsc });
    if (v.pdu_type) expect(pdu.type).toBe(TYPE[v.pdu_type]);
    if (v.smsc !== undefined && !DECLINED[v.id]) expect(num(pdu.smsc)).toBe(num(v.smsc));
    if (v.sender !== undefined && pdu.type === "deliver") expect(num(pdu.sender)).toBe(num(v.sender));
    if (v.recipient !== undefined && pdu.type !== "deliver") expect(num(pdu.recipient)).toBe(num(v.recipient));
    if (v.message_reference !== undefined && pdu.type !== "deliver") expect(pdu.mr).toBe(v.message_reference);
    if (pdu.type === "status-report") {
      if (v.timestamp) expect(pdu.timestamp.iso).toBe(v.timestamp);
      if (v.discharge) expect(pdu.discharge.iso).toBe(pyDatetime(v.discharge));
      if (v.delivery_status) expect(pdu.outcome).toBe(v.delivery_status.split(".")[1]!.toLowerCase());
      if (v.sr) {
        const sr = /'status': (\d+), 'scts': (datetime\([^)]*\)), 'dt': (datetime\([^)]*\))/.exec(v.sr)!;
        expect(pdu.status).toBe(Number(sr[1]));
        expect(pdu.timestamp.iso.slice(0, 19)).toBe(pyDatetime(sr[2]!));
        expect(pdu.discharge.iso.slice(0, 19)).toBe(pyDatetime(sr[3]!));
      }
      return;
    }
    if (v.text !== undefined && !DECLINED[v.id]) expect(pdu.text ?? Buffer.from(pdu.data!).toString("latin1")).toBe(v.text);
    if (v.data_hex !== undefined) expect(Buffer.from(pdu.data!).toString("hex").toUpperCase()).toBe(v.data_hex);
    if (v.encoding !== undefined) expect(pdu.encoding).toBe(v.encoding);
    if (v.timestamp !== undefined && pdu.type === "deliver") expect(pdu.timestamp.iso).toBe(v.timestamp);
    if (v.udh !== undefined)
      expect(pdu.concat).toEqual({ ref: v.udh.ref, total: v.udh.total, part: v.udh.part, refBits: v.udh.ref_bits });
    if (v.dcs !== undefined) expect(pdu.dcs).toBe(Number(v.dcs));
    if (v.user_data_size !== undefined)
      expect(pdu.encoding === "ucs2" ? pdu.text!.length * 2 : gsm7Length(pdu.text!)).toBe(v.user_data_size);
    if (v.validity?.startsWith("timedelta"))
      expect(pdu.type === "submit" && pdu.validity).toEqual({
        relativeMinutes: Number(/days=(\d+)/.exec(v.validity)![1]) * 1440,
      });
    if (v.validity?.startsWith("datetime")) {
      const validity = pdu.type === "submit" ? pdu.validity : undefined;
      expect(validity && "absolute" in validity ? validity.absolute.iso : undefined).toBe(pyDatetime(v.validity));
    }
  });

  it("pmsg-sr-unknown is recognised as a status report (its source's pseudo-SMS shape is not copied)", () => {
    const pdu = decodePdu(VECTORS.find((v) => v.id === "pmsg-sr-unknown")!.pdu);
    expect(pdu).toMatchObject({
      type: "status-report",
      smsc: "+34607003110",
      recipient: "+43626575117",
      status: 0x43,
      outcome: "failed",
    });
  });
});

describe("sms-pdus.json: agreement with the independent decoder's derived values", () => {
  it.each(valid.filter((v) => v.derived).map((v) => [v.id, v] as const))("%s", (_id, v) => {
    const d = v.derived!;
    const pdu = decodePdu(v.pdu, { smsc: v.has_smsc });
    const got: Record<string, unknown> = { type: pdu.type.toUpperCase() };
    if ("smsc" in d) got.smsc = pdu.smsc;
    if (pdu.type === "deliver") Object.assign(got, { sender: pdu.sender, timestamp: pdu.timestamp.iso });
    if (pdu.type !== "deliver") Object.assign(got, { mr: pdu.mr, recipient: pdu.recipient });
    if (pdu.type === "status-report")
      Object.assign(got, { timestamp: pdu.timestamp.iso, discharge: pdu.discharge.iso, status: pdu.status });
    else {
      Object.assign(got, { pid: pdu.pid, dcs: pdu.dcs, encoding: pdu.encoding });
      if (pdu.text !== undefined) got.text = pdu.text;
      if (pdu.data !== undefined) got.data_hex = Buffer.from(pdu.data).toString("hex").toUpperCase();
      if (pdu.concat)
        got.udh = { ref: pdu.concat.ref, total: pdu.concat.total, part: pdu.concat.part, ref_bits: pdu.concat.refBits };
      if (pdu.type === "submit" && pdu.validity && "relativeMinutes" in pdu.validity) got.vp_rel = Number(d.vp_rel);
      if (pdu.type === "submit" && pdu.validity && "absolute" in pdu.validity) got.vp_abs = pdu.validity.absolute.iso;
    }
    const want = Object.fromEntries(Object.entries(d).filter(([k]) => k !== "by" && k in got));
    // python's "-00:00" zone ("-0", TZ octet 0x08) is written "-00:00" by us too.
    expect(Object.fromEntries(Object.entries(got).filter(([k]) => k in want))).toEqual(want);
  });
});

describe("sms-pdus.json: malformed vectors are coded errors", () => {
  it.each(malformed.map((v) => [v.id, v] as const))("%s", (_id, v) => {
    let thrown: unknown;
    try {
      decodePdu(v.pdu, { smsc: v.has_smsc });
    } catch (err) {
      thrown = err;
    }
    expect(isCellgateError(thrown, "CG_ERR_PDU_DECODE")).toBe(true);
    expect((thrown as { detail: { raw: string } }).detail.raw).toBe(v.pdu);
  });

  it("the error names the field and the octet", () => {
    // warthog618 reports the SCTS field's start (7); we name the octet that is wrong (9).
    expect(() => decodePdu("040491361900005150F132200523", { smsc: false })).toThrow("SCTS at octet 9: invalid BCD octet 0xF1");
    expect(() => decodePdu("040491361900005150713220052308", { smsc: false })).toThrow(
      /user data at octet 15: UDL announces 8 septets \(7 octets\), 0 follow/,
    );
    expect(() => decodePdu("03", { smsc: false })).toThrow("first octet at octet 0: message type indicator 3 is reserved (0x03)");
    expect(() => decodePdu("0004000000081010100000000006d83dde01d83d")).toThrow(/dangling surrogate 0xD83D/);
    expect(() => decodePdu("004400000000101010000000000f050003030206906174181d468701")).toThrow(/UDH concatenation.*part 6 of 2/);
  });
});

describe("lenient decoding (for showing a broken message to a human)", () => {
  it("pgm-ucs2-bad-udl: strict refuses the UDL; lenient decodes what is there, as the source does", () => {
    const v = VECTORS.find((x) => x.id === "pgm-ucs2-bad-udl")!;
    // Its DA length is one digit too long as well (12 for the 11 digits of +60164355246).
    expect(() => decodePdu(v.pdu)).toThrow(/destination address at octet 5: filler F inside the number/);
    const pdu = decodePdu(v.pdu, { lenient: true });
    expect(pdu).toMatchObject({
      type: "submit",
      smsc: null,
      recipient: v.recipient,
      text: v.text,
      concat: { ref: 0, total: 3, part: 1, refBits: 8 },
    });
    expect(pdu.type !== "status-report" && pdu.warnings?.[0]).toMatch(/decoded what is there/);
  });

  it("pmsg-odd-length-strict: an odd hex digit loses the last character, as the source's lenient mode", () => {
    const v = VECTORS.find((x) => x.id === "pmsg-odd-length-strict")!;
    const pdu = decodePdu(v.pdu, { lenient: true });
    expect(pdu.type === "deliver" && pdu.text).toBe(v.lenient_text);
  });
});
