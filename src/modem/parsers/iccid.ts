import { asLines, parseError } from "./fields.js";

// Every vendor spells the ICCID query differently; the reply prefixes seen in the field.
const PREFIXES = ["+CCID:", "+QCCID:", "+ICCID:", "^ICCID:", "#CCID:", "+CICCID:", "%XICCID:", "ICCID:", "+CRSM: 144,0,"];

/**
 * An ICCID in any form a modem gives it (ModemManager's mm_3gpp_parse_iccid rules):
 * quoted or not; nibble-swapped BCD as read from EF_ICCID (starts `98`, exactly 20
 * characters); a trailing `F` filler on 19-digit ICCIDs; hex digits in the account part.
 * The result starts with the telecom MII `89` and has 19 or 20 characters.
 */
export function parseIccid(raw: string): string {
  let v = raw.trim().replace(/^"|"$/g, "").trim().toUpperCase();
  if (!/^[0-9A-F]+$/.test(v)) throw parseError("ICCID", raw, "not hex digits");
  if (v.startsWith("98")) {
    if (v.length !== 20) throw parseError("ICCID", raw, "a nibble-swapped ICCID has 20 characters");
    v = v.replace(/(.)(.)/g, "$2$1");
  }
  if (v.length === 20 && v.endsWith("F")) v = v.slice(0, 19);
  if (v.length < 19 || v.length > 20) throw parseError("ICCID", raw, `${v.length} digits, expected 19 or 20`);
  if (!v.startsWith("89")) throw parseError("ICCID", raw, "the MII is not 89 (telecom)");
  return v;
}

/** The reply to +CCID / +QCCID / +ICCID / ^ICCID / #CCID / AT+CRSM=176,12258…, or a bare value. */
export function parseIccidReply(reply: string | readonly string[]): string {
  const lines = asLines(reply);
  for (const line of lines) {
    const t = line.trim();
    const prefix = PREFIXES.find((p) => t.toUpperCase().startsWith(p));
    const value = prefix !== undefined ? t.slice(prefix.length) : /^"?[0-9A-Fa-f]{18,22}"?$/.test(t) ? t : undefined;
    if (value !== undefined) return parseIccid(value);
  }
  throw parseError("ICCID", lines, "no ICCID line");
}
