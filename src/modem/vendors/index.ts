import type { VendorName } from "../types.js";
import { generic } from "./generic.js";
import { nordic } from "./nordic.js";
import type { VendorProfile } from "./profile.js";
import { quectel } from "./quectel.js";
import { simcom } from "./simcom.js";
import { telit } from "./telit.js";
import { ublox } from "./ublox.js";

export type { VendorProfile } from "./profile.js";
export { parseQengServingcell, parseQcsqExec, parseQnwinfoExec, type Qcsq } from "./quectel.js";
export { parseCpsiRead } from "./simcom.js";
export { parseUcgedRead, parseUcgedMode5 } from "./ublox.js";
export { parseXmonitor } from "./nordic.js";
export { parseRfstsExec, parseQssRead, type QssState } from "./telit.js";

export const PROFILES: Readonly<Record<VendorName, VendorProfile>> = { quectel, simcom, ublox, telit, nordic, generic };

/** The profile for an identified modem; generic when no vendor claims it. */
export function chooseProfile(id: { manufacturer: string; model: string }, forced?: VendorName | "auto"): VendorProfile {
  if (forced !== undefined && forced !== "auto") return PROFILES[forced];
  return [quectel, simcom, ublox, telit, nordic].find((p) => p.matches(id)) ?? generic;
}
