import type { SimState } from "../types.js";
import { asLines, parseError } from "./fields.js";

const CODES: Record<string, SimState> = {
  READY: "ready",
  "SIM PIN": "sim-pin",
  "SIM PUK": "sim-puk",
  "SIM PIN2": "sim-pin2",
  "SIM PUK2": "sim-puk2",
  "PH-SIM PIN": "ph-sim-pin",
  "PH-NET PIN": "ph-net-pin",
  "PH-NETSUB PIN": "ph-netsub-pin",
  "PH-SP PIN": "ph-sp-pin",
  "PH-CORP PIN": "ph-corp-pin",
};

/**
 * AT+CPIN? → `+CPIN: <code>` (27.007 §8.3). The value may be quoted, and some callers hand
 * over the bare value (`   SIM PUK`, ModemManager's expect_prefix=FALSE). Wavecom modems
 * send no OK after it, which is the engine's business, not the parser's.
 */
export function parseCpinRead(reply: string | readonly string[]): SimState {
  const lines = asLines(reply);
  for (const line of lines) {
    const m = /^\s*(?:\+CPIN:)?\s*"?([A-Z0-9 -]+?)"?\s*$/i.exec(line);
    if (m === null) continue;
    const state = CODES[m[1]!.toUpperCase().replace(/\s+/g, " ")];
    if (state !== undefined) return state;
    if (/^\s*\+CPIN:/i.test(line)) return "unknown";
  }
  throw parseError("+CPIN?", lines);
}

/** What a +CME ERROR answering AT+CPIN? says about the SIM (27.007 §9.2 codes 10, 13, 14…). */
export function simStateFromCme(code: number | undefined): SimState {
  switch (code) {
    case 10:
      return "absent";
    case 11:
      return "sim-pin";
    case 12:
      return "sim-puk";
    case 13:
    case 15:
      return "failure";
    case 14:
      return "busy";
    case 17:
      return "sim-pin2";
    case 18:
      return "sim-puk2";
    default:
      return "unknown";
  }
}
