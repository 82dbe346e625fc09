import { afterPrefix, asLines, parseError, splitFields, type Field } from "../parsers/fields.js";
import { csqRssiDbm } from "../parsers/index.js";
import type { ServingCell } from "../types.js";
import { defined, hex, inRange, num, RANGE, type ReportPort, type VendorProfile } from "./profile.js";

/**
 * SIMCom AT+CPSI? (SIM7500/SIM7600 manual): `+CPSI: <System Mode>,<Operation Mode>[,<MCC>-<MNC>,
 * <TAC>,<SCellID>,<PCellID>,<Frequency Band>,<earfcn>,<dlbw>,<ulbw>,<RSRQ>,<RSRP>,<RSSI>,<RSSNR>]`
 * for LTE. SIM7600 firmware reports RSRQ/RSRP/RSSI in tenths of a dB (-672 = -67.2 dBm, an
 * unconfirmed reading of one parser, but -672 dBm is impossible); a value that is plausible
 * neither as is nor in tenths is reported as unknown. GSM/WCDMA: `<MCC>-<MNC>,<LAC>,<CellID>,…`.
 */
export function parseCpsiRead(reply: string | readonly string[]): ServingCell | null {
  const lines = asLines(reply);
  const rest = lines.map((l) => afterPrefix(l, "+CPSI:")).find((r) => r !== undefined);
  const f = rest === undefined ? null : splitFields(rest);
  if (f === null || f[0] === undefined || f[0].text === "") throw parseError("+CPSI?", lines);
  const rat = f[0].text;
  if (/^NO SERVICE$/i.test(rat)) return null;
  const cell: ServingCell = { source: "+CPSI", rat, ...(f[1]?.text ? { state: f[1].text } : {}) };
  const [mcc, mnc] = (f[2]?.text ?? "").split("-");
  if (mcc) Object.assign(cell, defined({ mcc, mnc }));
  // SIM7600 says "LTE"; SIM7000/SIM7080 "LTE CAT-M1" and "LTE NB-IOT".
  if (/LTE|CAT-?M|NB-?IOT/i.test(rat)) {
    return Object.assign(
      cell,
      defined({
        tac: hex(f[3]),
        ci: num(f[4]),
        pci: num(f[5]),
        band: f[6]?.text.replace(/^EUTRAN-BAND/i, "B") || undefined,
        earfcn: num(f[7]),
        rsrqDb: dbOrTenths(f[10], RANGE.rsrqDb),
        rsrpDbm: dbOrTenths(f[11], RANGE.rsrpDbm),
        rssiDbm: dbOrTenths(f[12], RANGE.rssiDbm),
        sinrDb: inRange(num(f[13]), RANGE.sinrDb),
      }),
    );
  }
  return Object.assign(cell, defined({ lac: hex(f[3]), ci: num(f[4]) }));
}

function dbOrTenths(f: Field | undefined, range: readonly [number, number]): number | null {
  const v = num(f);
  if (v === undefined) return null;
  return inRange(v, range) ?? inRange(v / 10, range);
}

export const simcom: VendorProfile = {
  name: "simcom",
  matches: ({ manufacturer, model }) => /simcom/i.test(manufacturer) || /^(SIM7\d{3}|A76\d\d)/i.test(model),
  // SIM7500/SIM7600 and SIM7000/SIM7080 manuals: URC tables (§20.3 of the SIM7000 manual), AUTOCSQ, NITZ, app PDP.
  urcs: [
    { match: "+CPSI:" },
    { match: "+CNSMOD:" },
    { match: "+CGNSINF:" },
    { match: "+CSQ:" },
    { match: "+CRRCSTATE:" },
    { match: "*PSNWID:" },
    { match: "*PSUTTZ:" },
    { match: "DST:" },
    { match: "+APP PDP:" },
    { match: "+PDP: DEACT", exact: true },
    { match: "+NETOPEN:" },
    { match: "+CIPEVENT:" },
    { match: "+IPCLOSE:" },
    // AT+CPING answers OK at once; each echo reply and the summary follow as +CPING: lines.
    { match: "+CPING:" },
    { match: "NORMAL POWER DOWN", exact: true },
    { match: "UNDER-VOLTAGE WARNNING", exact: true },
    { match: "UNDER-VOLTAGE POWER DOWN", exact: true },
    { match: "OVER-VOLTAGE WARNNING", exact: true },
    { match: "OVER-VOLTAGE POWER DOWN", exact: true },
  ],
  iccidCommands: ["AT+CICCID", "AT+CCID"],
  initCommands: ["AT+AUTOCSQ=1,1"],
  resetCommand: "AT+CFUN=1,1",
  // SIM7600 RmNet/QMI: AT$QCRMCALL=1,1 starts the call (docs/modems/simcom-sim7600.md); SIM7080: AT+CNACT=0,1
  // activates its app PDP. SIM7600 §5.2.4: the LTE default bearer (cid 1) is not (de)activated with +CGACT.
  bearer: { cid: 1, cgact: false, up: ["AT$QCRMCALL=1,1", "AT+CNACT=0,1"], airplane: 4 },
  // AT+AUTOCSQ=1,1 (A76XX §3.2.3): an unsolicited +CSQ: when the signal changes.
  signalUrc(line) {
    const m = /^\+CSQ:\s*(\d+),\s*(\d+)/.exec(line.trim());
    return m === null ? undefined : { rssiDbm: csqRssiDbm(Number(m[1])), ber: Number(m[2]) <= 7 ? Number(m[2]) : null };
  },
  async servingCell(port: ReportPort) {
    const r = await port.command("AT+CPSI?");
    return r === undefined ? null : parseCpsiRead(r.lines);
  },
};
