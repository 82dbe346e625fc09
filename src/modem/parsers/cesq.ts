import type { SignalQuality } from "../types.js";
import { asLines, decField, findPrefixed, parseError, splitFields } from "./fields.js";

export interface CesqResult {
  gsm?: { rssiDbm: number; ber: number | null };
  umts?: { rscpDbm: number; ecnoDb: number | null };
  lte?: { rsrpDbm: number; rsrqDb: number | null };
}

/**
 * AT+CESQ → `+CESQ: <rxlev>,<ber>,<rscp>,<ecno>,<rsrq>,<rsrp>` (27.007 §8.69). 99 / 255 mean
 * "not known or not detectable": that RAT's part is then absent (ModemManager's rule).
 */
export function parseCesqExec(reply: string | readonly string[]): CesqResult {
  const lines = asLines(reply);
  const f = splitFields(findPrefixed(lines, "+CESQ:"));
  const v = f?.map((x) => decField(x));
  if (v === undefined || v.length < 6 || v.slice(0, 6).some((n) => n === undefined || Number.isNaN(n))) {
    throw parseError("+CESQ", lines);
  }
  const [rxlev, ber, rscp, ecno, rsrq, rsrp] = v as number[];
  const out: CesqResult = {};
  if (rxlev! >= 0 && rxlev! <= 63) out.gsm = { rssiDbm: -111 + rxlev!, ber: ber! >= 0 && ber! <= 7 ? ber! : null };
  if (rscp! >= 0 && rscp! <= 96)
    out.umts = { rscpDbm: -121 + rscp!, ecnoDb: ecno! >= 0 && ecno! <= 49 ? -24.5 + ecno! / 2 : null };
  if (rsrp! >= 0 && rsrp! <= 97) out.lte = { rsrpDbm: -141 + rsrp!, rsrqDb: rsrq! >= 0 && rsrq! <= 34 ? -20 + rsrq! / 2 : null };
  return out;
}

/** The +CESQ values as SignalQuality fields (absent RATs stay absent). */
export function cesqToSignal(c: CesqResult): Partial<SignalQuality> {
  const out: Partial<SignalQuality> = {};
  if (c.lte) {
    out.rsrpDbm = c.lte.rsrpDbm;
    out.rsrqDb = c.lte.rsrqDb;
  }
  if (c.umts) {
    out.rscpDbm = c.umts.rscpDbm;
    out.ecnoDb = c.umts.ecnoDb;
  }
  return out;
}
