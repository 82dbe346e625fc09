import type { SignalQuality } from "../types.js";
import { asLines, decField, findPrefixed, parseError, splitFields } from "./fields.js";

/**
 * AT+CSQ → `+CSQ: <rssi>,<ber>` (27.007 §8.5). rssi 0..31 is -113 + 2·rssi dBm; 99 is "not
 * known or not detectable"; 100..191 are the TD-SCDMA extension (-116 dBm + (v - 100)).
 */
export function parseCsqExec(reply: string | readonly string[]): Pick<SignalQuality, "rssiDbm" | "ber"> {
  const lines = asLines(reply);
  const f = splitFields(findPrefixed(lines, "+CSQ:"));
  const rssi = decField(f?.[0]);
  const ber = decField(f?.[1]);
  if (f === null || f.length < 2 || rssi === undefined || ber === undefined || Number.isNaN(rssi) || Number.isNaN(ber)) {
    throw parseError("+CSQ", lines);
  }
  return { rssiDbm: csqRssiDbm(rssi), ber: ber >= 0 && ber <= 7 ? ber : null };
}

export function csqRssiDbm(rssi: number): number | null {
  if (rssi >= 0 && rssi <= 31) return -113 + 2 * rssi;
  if (rssi >= 100 && rssi <= 191) return -116 + (rssi - 100);
  return null;
}
