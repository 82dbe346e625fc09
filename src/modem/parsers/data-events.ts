import type { DataEvent } from "../types.js";

/** Nordic nWP042: after %MDMEV: RESET LOOP the modem blocks attach for 30 minutes of runtime. */
const RESET_LOOP_BLOCK_MS = 30 * 60_000;

/**
 * A URC about the data path, or undefined when the line is not one:
 * - `+CGEV:` (27.007 §10.1.19, after AT+CGEREP=2,1): `NW PDN DEACT <cid>`, `ME PDN DEACT <cid>`,
 *   the older `NW DEACT <PDP_type>,<PDP_addr>[,<cid>]`, `NW DETACH`, `ME DETACH`;
 * - Quectel DFOTA `+QIND: "FOTA","START"`, `"UPDATING",<pct>`, `"END",<err>`;
 * - Nordic `%MDMEV: RESET LOOP`.
 */
export function parseDataEvent(raw: string): DataEvent | undefined {
  const line = raw.trim();
  const cgev = /^\+CGEV:\s*(NW|ME)\s+(PDN DEACT|DEACT|DETACH)\b\s*(.*)$/i.exec(line);
  if (cgev !== null) {
    const by = cgev[1]!.toLowerCase() as "nw" | "me";
    if (cgev[2]!.toUpperCase() === "DETACH") return { kind: "detach", by, line };
    return { kind: "pdn-deact", by, cid: lastCid(cgev[3]!), line };
  }
  const fota = /^\+QIND:\s*"FOTA"\s*,\s*"(START|UPDATING|END)"\s*(?:,\s*(\d+))?/i.exec(line);
  if (fota !== null) {
    const phase = fota[1]!.toUpperCase();
    if (phase === "START") return { kind: "fota", phase: "start", error: null, line };
    if (phase === "UPDATING") return { kind: "fota", phase: "progress", error: null, line };
    const err = fota[2] === undefined ? null : Number(fota[2]);
    return { kind: "fota", phase: "end", error: err === 0 ? null : err, line };
  }
  if (/^%MDMEV:\s*RESET LOOP\b/i.test(line)) return { kind: "throttled", forMs: RESET_LOOP_BLOCK_MS, line };
  return undefined;
}

/** `1` → 1; `"IP","10.1.2.3",1` → 1 (the cid is the last field when present); nothing → null. */
function lastCid(rest: string): number | null {
  const fields = rest.split(",").map((f) => f.trim());
  const last = fields[fields.length - 1] ?? "";
  return /^\d+$/.test(last) ? Number(last) : null;
}
