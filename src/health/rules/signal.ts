import type { CheckStatus, Rule } from "../types.js";

// [pass at or above, warn at or above, else fail]; common field guidance for LTE and +CSQ RSSI.
const BANDS = {
  rsrpDbm: [-105, -115],
  rsrqDb: [-15, -20],
  sinrDb: [0, -5],
  rssiDbm: [-85, -100],
} as const;
const ORDER: CheckStatus[] = ["pass", "warn", "fail"];

function grade(v: number, [pass, warn]: readonly [number, number]): CheckStatus {
  return v >= pass ? "pass" : v >= warn ? "warn" : "fail";
}

/** Signal bands: RSRP/RSRQ/SINR when LTE values are known, else RSSI from +CSQ. */
export const signalRule: Rule = ({ modem }) => {
  if ("error" in modem) return { id: "signal", status: "unknown", detail: "modem not reachable" };
  const q = modem.snapshot.signal;
  if (q === undefined) return { id: "signal", status: "unknown", detail: modem.snapshot.errors.signal?.message ?? "not read" };
  const measured: Array<[keyof typeof BANDS, number, string]> = [];
  if (q.rsrpDbm != null) measured.push(["rsrpDbm", q.rsrpDbm, `RSRP ${q.rsrpDbm} dBm`]);
  if (q.rsrqDb != null) measured.push(["rsrqDb", q.rsrqDb, `RSRQ ${q.rsrqDb} dB`]);
  if (q.sinrDb != null) measured.push(["sinrDb", q.sinrDb, `SINR ${q.sinrDb} dB`]);
  if (measured.length === 0 && q.rssiDbm != null) measured.push(["rssiDbm", q.rssiDbm, `RSSI ${q.rssiDbm} dBm`]);
  if (measured.length === 0) return { id: "signal", status: "unknown", detail: "signal not known or not detectable (+CSQ 99)" };
  const status = measured
    .map(([k, v]) => grade(v, BANDS[k]))
    .reduce((a, b) => (ORDER.indexOf(b) > ORDER.indexOf(a) ? b : a), "pass" as CheckStatus);
  const detail =
    measured.map(([, , t]) => t).join(", ") +
    (q.rssiDbm != null && measured[0]?.[0] !== "rssiDbm" ? `, RSSI ${q.rssiDbm} dBm` : "");
  return status === "pass"
    ? { id: "signal", status, detail }
    : {
        id: "signal",
        status,
        detail,
        hint: "weak or noisy signal: check the antenna and its cable, or move it higher / away from metal",
      };
};
