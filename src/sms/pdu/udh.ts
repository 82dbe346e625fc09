import type { PduReader } from "./reader.js";

export interface Concat {
  ref: number;
  total: number;
  part: number;
  refBits: 8 | 16;
}

export interface Udh {
  concat?: Concat;
  /** Application port addressing (IEI 0x04 / 0x05). */
  ports?: { dest: number; orig: number };
  /** Every element, IEI and data, including the ones not interpreted (EMS formatting…). */
  elements: Array<{ iei: number; data: Uint8Array }>;
  /** Octets the header takes, its length octet included. */
  length: number;
}

/**
 * The user data header at the start of `ud` (23.040 §9.2.3.24). Concatenation is accepted only
 * with its exact length and 1 ≤ part ≤ total (ModemManager's rule); other elements are kept
 * and skipped. `at` is the header's octet offset in the PDU, for errors.
 */
export function parseUdh(ud: Uint8Array, r: PduReader, at: number): Udh {
  const udhl = ud[0];
  if (udhl === undefined || udhl + 1 > ud.length)
    r.fail("UDH length", `header of ${udhl ?? 0} octets does not fit the ${ud.length}-octet user data`, at);
  const udh: Udh = { elements: [], length: udhl + 1 };
  let i = 1;
  while (i <= udhl) {
    const iei = ud[i]!;
    const len = ud[i + 1];
    if (len === undefined || i + 2 + len > udhl + 1)
      r.fail("UDH element", `element 0x${iei.toString(16)} overruns the header`, at + i);
    const data = ud.subarray(i + 2, i + 2 + len);
    udh.elements.push({ iei, data });
    if (iei === 0x00 || iei === 0x08) udh.concat = concat(iei, data, r, at + i);
    else if (iei === 0x04 && len === 2) udh.ports = { dest: data[0]!, orig: data[1]! };
    else if (iei === 0x05 && len === 4) udh.ports = { dest: (data[0]! << 8) | data[1]!, orig: (data[2]! << 8) | data[3]! };
    i += 2 + len;
  }
  return udh;
}

function concat(iei: number, data: Uint8Array, r: PduReader, at: number): Concat {
  const want = iei === 0x00 ? 3 : 4;
  if (data.length !== want) r.fail("UDH concatenation", `element 0x0${iei} has ${data.length} octets, not ${want}`, at);
  const c: Concat =
    iei === 0x00
      ? { ref: data[0]!, total: data[1]!, part: data[2]!, refBits: 8 }
      : { ref: (data[0]! << 8) | data[1]!, total: data[2]!, part: data[3]!, refBits: 16 };
  if (c.total < 1 || c.part < 1 || c.part > c.total) r.fail("UDH concatenation", `part ${c.part} of ${c.total}`, at);
  return c;
}

export function encodeConcat(c: Omit<Concat, "refBits"> & { refBits?: 8 | 16 }): Uint8Array {
  return c.refBits === 16
    ? Uint8Array.from([0x08, 4, c.ref >> 8, c.ref & 0xff, c.total, c.part])
    : Uint8Array.from([0x00, 3, c.ref & 0xff, c.total, c.part]);
}
