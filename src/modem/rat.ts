import type { AccessTech, ModemIdentity, Rat, Registration, ServingCell } from "./types.js";

// The words vendor reports use for the radio in service (+QNWINFO, +QENG, +QCSQ, +CPSI, +UCGED,
// %XMONITOR), normalised: letters and digits only, upper case.
const WORDS: ReadonlyArray<[RegExp, Rat]> = [
  [/^(LTE)?(CATM1?|EMTC|LTEM|M1)$/, "lte-m"],
  [/^(LTE)?(CATNB[12]?|NBIOT|NB1|NB2|NB)$/, "nb-iot"],
  [/^(FDD|TDD)?LTE(FDD|TDD)?$|^EUTRAN$|^CAT[0-9]+$/, "lte"],
  [/^NR5G(SA|NSA)?$|^NR$|^5G/, "nr"],
  [/^(WCDMA|UMTS|HSPA\+?|HSDPA|HSUPA|TDSCDMA|UTRAN)$/, "umts"],
  [/^(GSM|GPRS|EDGE|EGPRS)$/, "gsm"],
];

/** A vendor report's name for the radio ("CAT-M", "eMTC", "NBIoT", "FDD LTE", "NR5G-SA"…). */
export function ratFromText(text: string): Rat | undefined {
  const key = text.toUpperCase().replace(/[^A-Z0-9]/g, "");
  return WORDS.find(([re]) => re.test(key))?.[1];
}

// Modules whose E-UTRAN is LTE-M (Cat-M1) only: <AcT> 7 means LTE-M on them. Quectel BG9x and
// early SARA-R410M-02B firmware report Cat-M1 as <AcT> 8, which 27.007 gives to EC-GSM-IoT.
const LTE_M_MODELS = /^(BG9\d|BG77|BG600|SIM70[0-9]0|SARA-R[45]|ME910|ME310|NRF91|LARA-R6)/i;

/** What a registration's <AcT> means on this module. */
export function ratFromAct(act: AccessTech, model: string): Rat {
  const m = model.replace(/^.*?(?=[A-Z]{2,}\d)/i, "");
  if (act === "ec-gsm-iot" && LTE_M_MODELS.test(m)) return "lte-m";
  if (act === "lte" && LTE_M_MODELS.test(m)) return "lte-m";
  if (act === "lte" || act === "lte-5gcn") return "lte";
  if (act === "nb-iot") return "nb-iot";
  if (act === "nr-5gcn" || act === "ng-ran" || act === "en-dc") return "nr";
  if (act === "gsm" || act === "gsm-compact" || act === "edge" || act === "ec-gsm-iot") return "gsm";
  return "umts";
}

/**
 * The radio the modem is on: the vendor's serving-cell report says it in words (and is the
 * only one that tells LTE-M from LTE on a module that has both); else the registration's <AcT>
 * read the way this module uses it; unknown when neither says.
 */
export function currentRat(o: {
  cell?: ServingCell | null;
  registration?: Registration;
  identity?: ModemIdentity;
}): Rat | undefined {
  const model = o.identity?.model ?? "";
  const fromCell = o.cell ? ratFromText(o.cell.rat) : undefined;
  // A report that says only "LTE" (u-blox +UCGED, Telit #RFSTS) on an LTE-M-only module is LTE-M.
  if (fromCell === "lte") return ratFromAct("lte", model);
  if (fromCell !== undefined) return fromCell;
  const act = o.registration?.act;
  return act === undefined ? undefined : ratFromAct(act, model);
}
