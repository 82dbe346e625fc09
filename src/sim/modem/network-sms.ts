import { encodeDeliver, encodeSeptets } from "../../sms/pdu/index.js";

/** An SMS as the network delivers it to the modem: a Command from 2936 by default. */
export interface MtSms {
  from?: string;
  /** Type of address of the sender (0x81 unknown, 0xA1 national, 0x91 international…). */
  fromToa?: number;
  text?: string;
  /** Binary (8-bit) content: a binary Command. */
  data?: Uint8Array;
  ucs2?: boolean;
  /** IncludeSid: the Command SID at the start or the end of the text, space-separated. */
  sid?: string;
  sidAt?: "start" | "end";
  /** Order the parts of a multipart message arrive in (part numbers, 1-based), or reverse. */
  order?: "forward" | "reverse" | readonly number[];
  /** Concatenation reference (default: a counter). */
  ref?: number;
  epochMs?: number;
  tzMinutes?: number;
  smsc?: string;
}

let nextRef = 1;

/**
 * The DELIVER PDUs for one message: one, or several with an 8-bit concatenation header when the
 * content does not fit (153 GSM 7-bit septets, 67 UCS2 units, 134 octets per part, never
 * splitting an escape pair or a surrogate pair).
 */
export function buildMtPdus(m: MtSms, nowMs: number): string[] {
  const text =
    m.text === undefined
      ? undefined
      : m.sid === undefined
        ? m.text
        : m.sidAt === "start"
          ? `${m.sid} ${m.text}`
          : `${m.text} ${m.sid}`;
  const common = {
    from: m.from ?? "2936",
    ...(m.fromToa !== undefined ? { fromToa: m.fromToa } : {}),
    smsc: m.smsc ?? "+12063130004",
    epochMs: m.epochMs ?? nowMs,
    tzMinutes: m.tzMinutes ?? 0,
  };
  const chunks = text !== undefined ? splitText(text, m.ucs2 ?? false) : splitData(m.data ?? new Uint8Array(0));
  if (chunks.length === 1) {
    const only = chunks[0]!;
    return [
      encodeDeliver({ ...common, ...(typeof only === "string" ? { text: only, ucs2: m.ucs2 ?? false } : { data: only }) }).hex,
    ];
  }
  const ref = (m.ref ?? nextRef++) & 0xff;
  const pdus = chunks.map(
    (c, i) =>
      encodeDeliver({
        ...common,
        concat: { ref, total: chunks.length, part: i + 1 },
        ...(typeof c === "string" ? { text: c, ucs2: m.ucs2 ?? false } : { data: c }),
      }).hex,
  );
  const order =
    m.order === "reverse"
      ? pdus.map((_, i) => pdus.length - i)
      : m.order === undefined || m.order === "forward"
        ? pdus.map((_, i) => i + 1)
        : m.order;
  return order.map((n) => {
    const pdu = pdus[n - 1];
    if (pdu === undefined) throw new RangeError(`part ${n} does not exist: the message has ${pdus.length} parts`);
    return pdu;
  });
}

function splitText(text: string, ucs2: boolean): string[] {
  const septets = ucs2 ? undefined : encodeSeptets(text);
  if (septets !== undefined && septets.length <= 160) return [text];
  if (septets === undefined && text.length <= 70) return [text];
  const out: string[] = [];
  let cur = "";
  let size = 0;
  for (const ch of text) {
    const n = septets !== undefined ? encodeSeptets(ch)!.length : ch.length;
    if (size + n > (septets !== undefined ? 153 : 67)) {
      out.push(cur);
      cur = "";
      size = 0;
    }
    cur += ch;
    size += n;
  }
  out.push(cur);
  return out;
}

function splitData(data: Uint8Array): Uint8Array[] {
  if (data.length <= 140) return [data];
  const out: Uint8Array[] = [];
  for (let i = 0; i < data.length; i += 134) out.push(data.subarray(i, i + 134));
  return out;
}
