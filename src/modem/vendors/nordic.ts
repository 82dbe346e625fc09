import { afterPrefix, asLines, parseError, splitFields } from "../parsers/fields.js";
import type { ServingCell } from "../types.js";
import { defined, hex, num, type ReportPort, type VendorProfile } from "./profile.js";

/**
 * Nordic AT%XMONITOR (nRF91 AT reference §8.15):
 *   %XMONITOR: <reg_status>[,<full_name>,<short_name>,<plmn>,<tac>,<AcT>,<band>,<cell_id>,<phys_cell_id>,
 *              <EARFCN>,<rsrp>,<snr>,<eDRX>,<Active-Time>,<Periodic-TAU-ext>,<Periodic-TAU>]
 * The cell part only while registered (status 1 or 5). rsrp is an index as in +CESQ (dBm = index
 * − 140, 255 unknown), snr an index (dB = index − 24, 127 unknown); AcT 7 is LTE-M, 9 NB-IoT.
 */
export function parseXmonitor(reply: string | readonly string[]): ServingCell | null {
  const lines = asLines(reply);
  const rest = lines.map((l) => afterPrefix(l, "%XMONITOR:")).find((r) => r !== undefined);
  const f = rest === undefined ? null : splitFields(rest);
  if (f === null || f[0] === undefined || num(f[0]) === undefined) throw parseError("%XMONITOR", lines);
  if (f.length < 9) return null;
  const plmn = f[3]?.text ?? "";
  const act = num(f[5]);
  const rsrp = num(f[10]);
  const snr = num(f[11]);
  return {
    source: "%XMONITOR",
    rat: act === 9 ? "NB-IoT" : act === 7 ? "LTE-M" : `AcT ${act ?? "?"}`,
    ...defined({
      mcc: plmn.length >= 5 ? plmn.slice(0, 3) : undefined,
      mnc: plmn.length >= 5 ? plmn.slice(3) : undefined,
      tac: hex(f[4]),
      band: num(f[6]) ? `B${num(f[6])}` : undefined,
      ci: hex(f[7]),
      pci: num(f[8]),
      earfcn: num(f[9]),
      rsrpDbm: rsrp !== undefined && rsrp <= 97 ? rsrp - 140 : rsrp === undefined ? undefined : null,
      sinrDb: snr !== undefined && snr <= 49 ? snr - 24 : snr === undefined ? undefined : null,
    }),
  };
}

/** Nordic nRF91: LTE-M/NB-IoT only, no SMS storage, ICCID by %XICCID, the cell by %XMONITOR. */
export const nordic: VendorProfile = {
  name: "nordic",
  matches: ({ manufacturer, model }) => /nordic/i.test(manufacturer) || /^nRF91/i.test(model),
  // nRF91 AT reference §13 URC table; +CMS ERROR: 524 is the notification that a missed +CNMA
  // unregistered the SMS client (solicited only as the answer to AT+CNMA itself).
  urcs: [
    { match: "%CESQ:" },
    { match: "%XSIM:" },
    { match: "%XTIME:" },
    { match: "%MDMEV:" },
    { match: "%XSNRSQ:" },
    { match: "%XOPNAME:" },
    { match: "%XMODEMSLEEP:" },
    { match: "%XT3412:" },
    { match: "%XTEMP:" },
    { match: "%XVBATLOWLVL:" },
    { match: "%XPCO:" },
    { match: "%NCELLMEAS:" },
    { match: "+CSCON:" },
    { match: "+CEDRXP:" },
    { match: "+CNEC_EMM:" },
    { match: "+CNEC_ESM:" },
    { match: "+CEINFO:" },
    { match: "+CMS ERROR: 524", exact: true, solicitedBy: /^AT\+CNMA/i },
    { match: "Ready", exact: true },
  ],
  iccidCommands: ["AT%XICCID"],
  // §5.6: %CESQ: <rsrp>,<rsrp_threshold_index>,<rsrq>,<rsrq_threshold_index> as thresholds are crossed.
  // The indexes are +CESQ's (27.007 §8.69), read the same way so a URC and a poll agree.
  signalUrc(line) {
    const m = /^%CESQ:\s*(\d+),\s*\d+,\s*(\d+)/.exec(line.trim());
    if (m === null) return undefined;
    const [rsrp, rsrq] = [Number(m[1]), Number(m[2])];
    return { rsrpDbm: rsrp <= 97 ? rsrp - 141 : null, rsrqDb: rsrq <= 34 ? rsrq / 2 - 20 : null };
  },
  // §10.3: interactive +CMGS is not supported; the PDU follows the CR in the same write.
  smsNoPrompt: true,
  // %MDMEV=1 (1.3.x; older firmware refuses it): `%MDMEV: RESET LOOP` says attach is blocked for 30 min (nWP042).
  // A reset or +CFUN=0 drops the subscription, and init runs again after either.
  initCommands: ["AT%CESQ=1", "AT%MDMEV=1"],
  // The modem has no reset command: radio off (state saved), and the init that follows turns it on.
  resetCommand: "AT+CFUN=0",
  // nRF91: the initial PDN is cid 0, up at attach and not touched by +CGACT (AT reference §7.4.1): its own stack.
  bearer: { cid: 0, cgact: false, up: [], airplane: 4 },
  async servingCell(port: ReportPort) {
    const r = await port.command("AT%XMONITOR");
    return r === undefined ? null : parseXmonitor(r.lines);
  },
};
