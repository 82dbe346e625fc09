import { afterPrefix, asLines, parseError, splitFields } from "../parsers/fields.js";
import type { ServingCell } from "../types.js";
import { defined, hex, inRange, num, RANGE, type ReportPort, type VendorProfile } from "./profile.js";

/**
 * Telit AT#RFSTS. The serving cell's layout depends on the RAT, and firmware drops fields
 * (an LE910 omits <TXPWR>), so fields are located from the quoted IMSI rather than by count:
 *   LTE:   <PLMN>,<EARFCN>,<RSRP>,<RSSI>,<RSRQ>,<TAC>,<RAC>,[<TXPWR>],<DRX>,<MM>,<RRC>,<CID>,<IMSI>,<NetName>,<SD>,<ABND>
 *   GSM:   <PLMN>,<ARFCN>,<RSSI>,<LAC>,<RAC>,<TXPWR>,<MM>,<RR>,<NOM>,<CID>,<IMSI>,<NetName>,<SD>,<ABND>
 * <PLMN> is "MCC MNC".
 */
export function parseRfstsExec(reply: string | readonly string[]): ServingCell | null {
  const lines = asLines(reply);
  const rest = lines.map((l) => afterPrefix(l, "#RFSTS:")).find((r) => r !== undefined);
  const f = rest === undefined ? null : splitFields(rest);
  if (f === null || f.length < 10) throw parseError("#RFSTS", lines);
  const imsiAt = f.findIndex((x, i) => i > 5 && x.quoted && /^\d{6,15}$/.test(x.text));
  if (imsiAt < 0) throw parseError("#RFSTS", lines, "no IMSI field");
  const [mcc, mnc] = f[0]!.text.trim().split(/\s+/);
  const cell: ServingCell = { source: "#RFSTS", rat: "unknown", ...defined({ mcc: mcc || undefined, mnc }) };
  const ci = hex(f[imsiAt - 1]);
  if (imsiAt === 11 || imsiAt === 12) {
    return Object.assign(
      cell,
      defined({
        rat: "LTE",
        earfcn: num(f[1]),
        rsrpDbm: inRange(num(f[2]), RANGE.rsrpDbm),
        rssiDbm: inRange(num(f[3]), RANGE.rssiDbm),
        rsrqDb: inRange(num(f[4]), RANGE.rsrqDb),
        tac: hex(f[5]),
        ci,
        band: f[imsiAt + 3]?.text && f[imsiAt + 3]!.text !== "255" ? `B${f[imsiAt + 3]!.text}` : undefined,
      }),
    );
  }
  if (imsiAt === 10) {
    return Object.assign(cell, defined({ rat: "GSM", rssiDbm: inRange(num(f[2]), RANGE.rssiDbm), lac: hex(f[3]), ci }));
  }
  return Object.assign(cell, defined({ ci }));
}

export type QssState = "removed" | "inserted" | "inserted-unlocked" | "ready";

/** Telit AT#QSS? / the #QSS URC (ModemManager telit tests): `#QSS: <mode>,<status>`. */
export function parseQssRead(reply: string | readonly string[]): QssState {
  const lines = asLines(reply);
  const rest = lines.map((l) => afterPrefix(l, "#QSS:")).find((r) => r !== undefined);
  const f = rest === undefined ? null : splitFields(rest);
  if (f === null || f.length < 2) throw parseError("#QSS?", lines);
  const states: QssState[] = ["removed", "inserted", "inserted-unlocked", "ready"];
  const s = states[num(f[1]) ?? -1];
  if (s === undefined) throw parseError("#QSS?", lines, `unknown QSS status value ${f[1]!.text}`);
  return s;
}

export const telit: VendorProfile = {
  name: "telit",
  matches: ({ manufacturer, model }) => /telit/i.test(manufacturer) || /^(LE9\d\d|LM9\d\d|ME9\d\d|FN9\d\d|HE910)/i.test(model),
  urcs: [{ match: "#QSS:" }, { match: "#PSNT:" }, { match: "SRING:" }, { match: "#SKTRING:" }],
  iccidCommands: ["AT#CCID", "AT+ICCID", "AT+CCID"],
  initCommands: [],
  resetCommand: "AT#REBOOT",
  // AT#ECM=<cid>,<did> sets up the ECM connection (LE910C1 in #USBCFG ECM mode).
  bearer: { cid: 1, cgact: true, up: ["AT#ECM={cid},0"], airplane: 4 },
  async servingCell(port: ReportPort) {
    const r = await port.command("AT#RFSTS");
    return r === undefined ? null : parseRfstsExec(r.lines);
  },
};
