import type { PduReader } from "./reader.js";

export interface Timestamp {
  /** ISO 8601 with the offset the network gave (`-00:00` for the "-0" zone). */
  iso: string;
  epochMs: number;
  tzMinutes: number;
}

const pad = (n: number) => String(n).padStart(2, "0");

/**
 * TP-SCTS / TP-DT / absolute TP-VP: seven semi-octet-swapped BCD octets, the last one the zone
 * in quarter hours with its sign in bit 3. A nibble above 9 or a field out of range is an
 * error (0xF1 is not a digit), never a silently wrong date.
 */
export function readTimestamp(r: PduReader, field: string): Timestamp {
  const at = r.offset;
  const b = r.take(7, field);
  const digit = (i: number, nibble: number) => {
    if (nibble > 9) r.fail(field, `invalid BCD octet 0x${b[i]!.toString(16).toUpperCase().padStart(2, "0")}`, at + i);
    return nibble;
  };
  const bcd = (i: number) => digit(i, b[i]! & 0x0f) * 10 + digit(i, b[i]! >> 4);
  const [yy, mo, dd, hh, mi, ss] = [0, 1, 2, 3, 4, 5].map(bcd) as [number, number, number, number, number, number];
  const tzByte = b[6]!;
  const quarters = digit(6, tzByte & 0x07) * 10 + digit(6, tzByte >> 4);
  const negative = (tzByte & 0x08) !== 0;
  if (mo < 1 || mo > 12 || dd < 1 || dd > 31 || hh > 23 || mi > 59 || ss > 59 || quarters > 79) {
    r.fail(field, `out of range: ${yy}/${mo}/${dd} ${hh}:${mi}:${ss} zone ${quarters}q`, at);
  }
  // 23.040 gives two digits; years 90-99 are 1990s (old phones), the rest 2000s.
  const year = yy >= 90 ? 1900 + yy : 2000 + yy;
  const tzMinutes = (negative ? -1 : 1) * quarters * 15;
  const off = `${negative ? "-" : "+"}${pad(Math.floor(quarters / 4))}:${pad((quarters % 4) * 15)}`;
  return {
    iso: `${year}-${pad(mo)}-${pad(dd)}T${pad(hh)}:${pad(mi)}:${pad(ss)}${off}`,
    epochMs: Date.UTC(year, mo - 1, dd, hh, mi, ss) - tzMinutes * 60_000,
    tzMinutes,
  };
}

/** The seven SCTS octets for a time in a zone (the simulator's network side). */
export function encodeTimestamp(epochMs: number, tzMinutes = 0): Uint8Array {
  const d = new Date(epochMs + tzMinutes * 60_000);
  const swap = (n: number) => ((n % 10) << 4) | Math.floor(n / 10);
  const q = Math.round(Math.abs(tzMinutes) / 15);
  const tz = ((q % 10) << 4) | Math.floor(q / 10) | (tzMinutes < 0 ? 0x08 : 0);
  return Uint8Array.from([
    swap(d.getUTCFullYear() % 100),
    swap(d.getUTCMonth() + 1),
    swap(d.getUTCDate()),
    swap(d.getUTCHours()),
    swap(d.getUTCMinutes()),
    swap(d.getUTCSeconds()),
    tz,
  ]);
}
