import { asLines, decField, findPrefixed, parseError, splitFields } from "./fields.js";

/** A +CRSM reply: the SIM's status words and its response data (hex, empty after an update). */
export interface SimResponse {
  sw1: number;
  sw2: number;
  data: string;
}

/**
 * AT+CRSM=… → `+CRSM: <sw1>,<sw2>[,<response>]` (27.007 §8.18). An UPDATE BINARY answers with an
 * empty response, quoted or left out (`+CRSM: 144,0,""`, `+CRSM: 144,0`).
 */
export function parseCrsm(reply: string | readonly string[]): SimResponse {
  const lines = asLines(reply);
  const f = splitFields(findPrefixed(lines, "+CRSM:"));
  const sw1 = decField(f?.[0]);
  const sw2 = decField(f?.[1]);
  if (f === null || sw1 === undefined || sw2 === undefined || Number.isNaN(sw1) || Number.isNaN(sw2))
    throw parseError("+CRSM", lines);
  const data = (f[2]?.text ?? "").toUpperCase();
  if (!/^[0-9A-F]*$/.test(data) || data.length % 2 !== 0) throw parseError("+CRSM", lines, "response is not hex bytes");
  return { sw1, sw2, data };
}

/** The command completed (TS 102 221 §10.2.1.1: 90 00, or 91 xx with a proactive command pending). */
export const simOk = (r: SimResponse) => r.sw1 === 0x90 || r.sw1 === 0x91;

/**
 * EF_FPLMN's contents (TS 31.102 §4.2.16) as MCC+MNC codes: three bytes per network, coded as
 * TS 24.008 §10.5.1.13 (MCC digit 2|1, MNC digit 3|MCC digit 3, MNC digit 2|1, an F for the third
 * digit of a two-digit MNC); FFFFFF is an empty slot. `62F210` is 26201.
 */
export function decodePlmnList(hex: string): string[] {
  const h = hex.toUpperCase();
  if (!/^([0-9A-F]{6})*$/.test(h)) throw parseError("EF_FPLMN", hex, "not whole 3-byte entries");
  const out: string[] = [];
  for (let i = 0; i < h.length; i += 6) {
    const e = h.slice(i, i + 6);
    if (e === "FFFFFF") continue;
    const [mcc2, mcc1, mnc3, mcc3, mnc2, mnc1] = e;
    const code = `${mcc1}${mcc2}${mcc3}${mnc1}${mnc2}${mnc3 === "F" ? "" : mnc3}`;
    if (!/^\d{5,6}$/.test(code)) throw parseError("EF_FPLMN", hex, `entry ${e} is not a PLMN`);
    out.push(code);
  }
  return out;
}
