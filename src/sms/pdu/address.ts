import { decodeSeptets, encodeSeptets, packSeptets, unpackSeptets } from "./gsm7.js";
import type { PduReader } from "./reader.js";

export type NumberType =
  "unknown" | "international" | "national" | "network-specific" | "subscriber" | "alphanumeric" | "abbreviated" | "reserved";
const TON: NumberType[] = [
  "unknown",
  "international",
  "national",
  "network-specific",
  "subscriber",
  "alphanumeric",
  "abbreviated",
  "reserved",
];

export interface Address {
  /** Digits with a leading `+` for international numbers; the text of an alphanumeric sender. */
  number: string;
  toa: number;
  type: NumberType;
}

// 23.040 §9.1.2.3: semi-octets 0-9, then * # a b c; F is the filler.
const DIGITS = "0123456789*#abc";

function semiOctets(bytes: Uint8Array, count: number, r: PduReader, field: string, at: number): string {
  let out = "";
  for (let i = 0; i < count; i++) {
    const b = bytes[i >> 1]!;
    const nibble = i % 2 === 0 ? b & 0x0f : b >> 4;
    if (nibble === 0x0f) {
      if (r.lenient) break; // a length one too long: the filler ends the number
      r.fail(field, `filler F inside the number (semi-octet ${i + 1} of ${count})`, at);
    }
    out += DIGITS[nibble]!;
  }
  return out;
}

/** TP-OA / TP-DA / TP-RA: a length in semi-octets (digits), the TOA, the digits. */
export function readAddress(r: PduReader, field: string): Address {
  const at = r.offset;
  const len = r.u8(`${field} length`);
  const toa = r.u8(`${field} type`);
  const bytes = r.take(Math.ceil(len / 2), `${field} digits`);
  const type = TON[(toa >> 4) & 0x07]!;
  if (type === "alphanumeric") {
    const text = decodeSeptets(unpackSeptets(bytes, Math.floor((len * 4) / 7)));
    return { number: text, toa, type };
  }
  const digits = semiOctets(bytes, len, r, field, at + 2);
  if (len % 2 === 1 && bytes[bytes.length - 1]! >> 4 !== 0x0f && !r.lenient)
    r.fail(field, "odd digit count without the F filler", at + 1 + bytes.length);
  if (type === "international" && /[^0-9]/.test(digits)) r.fail(field, `international number with non-digits: ${digits}`, at + 2);
  return { number: type === "international" ? `+${digits}` : digits, toa, type };
}

/** The SMSC part in front of a +CMGR PDU: a length in octets (TOA included), 0 = none. */
export function readSmsc(r: PduReader): Address | null {
  const len = r.u8("SMSC length");
  if (len === 0) return null;
  if (len > 11) r.fail("SMSC length", `${len} octets is longer than an address can be`, 0);
  const toa = r.u8("SMSC type");
  const bytes = r.take(len - 1, "SMSC digits");
  let count = bytes.length * 2;
  if (count > 0 && bytes[bytes.length - 1]! >> 4 === 0x0f) count--;
  const digits = semiOctets(bytes, count, r, "SMSC", 2);
  const type = TON[(toa >> 4) & 0x07]!;
  return { number: type === "international" ? `+${digits}` : digits, toa, type };
}

/** An address field for a PDU: `+` means international (0x91), other digits unknown type (0x81). */
export function encodeAddress(number: string, toaOverride?: number): Uint8Array {
  if (/^[0-9+*#]+$/.test(number)) {
    const intl = number.startsWith("+");
    const digits = intl ? number.slice(1) : number;
    const toa = toaOverride ?? (intl ? 0x91 : 0x81);
    const out = [digits.length, toa];
    for (let i = 0; i < digits.length; i += 2) {
      const lo = DIGITS.indexOf(digits[i]!);
      const hi = i + 1 < digits.length ? DIGITS.indexOf(digits[i + 1]!) : 0x0f;
      out.push((hi << 4) | lo);
    }
    return Uint8Array.from(out);
  }
  // Alphanumeric (TOA 0xD0): GSM 7-bit packed, length in semi-octets.
  const septets = encodeSeptets(number) ?? [];
  const packed = packSeptets(septets, 0, false);
  const semi = Math.ceil((septets.length * 7) / 4);
  return Uint8Array.from([semi, toaOverride ?? 0xd0, ...packed.subarray(0, Math.ceil(semi / 2))]);
}
