import { afterPrefix, asLines, parseError, splitFields } from "../parsers/fields.js";
import type { ServingCell } from "../types.js";
import { defined, hex, inRange, num, RANGE, type ReportPort, type VendorProfile } from "./profile.js";

const UCGED_RAT: Record<string, string> = { "2": "GSM", "3": "UMTS", "4": "LTE", "6": "CAT-M", "7": "NB-IoT" };

/**
 * u-blox AT+UCGED? in mode 2 (SARA-R4/R5; layout from u-blox's ubxlib comments):
 *   +UCGED: 2
 *   <rat>,<svc>,<MCC>,<MNC>
 *   <earfcn>,<Lband>,<ul_BW>,<dl_BW>,<tac>,<LcellId>,<PCID>,<mTmsi>,<mmeGrId>,<mmeCode>,
 *   <rsrp>,<rsrq>,<Lsinr>,<Lrrc>,…
 * RSRP/RSRQ are 3GPP indices as in +CESQ (rsrp 0..97 → idx-141 dBm, rsrq 0..34 → idx/2-20 dB),
 * 255 unknown; the SINR is in dB. A TAC of ffff / cell 0 means not known.
 */
export function parseUcgedRead(reply: string | readonly string[]): ServingCell | null {
  const lines = asLines(reply);
  const i = lines.findIndex((l) => afterPrefix(l, "+UCGED:") !== undefined);
  if (i < 0 || afterPrefix(lines[i]!, "+UCGED:") !== "2") throw parseError("+UCGED?", lines, "not the mode 2 report");
  const head = splitFields(lines[i + 1] ?? "");
  const lte = splitFields(lines[i + 2] ?? "");
  if (head === null || head.length < 4 || lte === null) throw parseError("+UCGED?", lines);
  const rat = UCGED_RAT[head[0]!.text] ?? `rat ${head[0]!.text}`;
  const cell: ServingCell = { source: "+UCGED", rat, state: `svc ${head[1]!.text}` };
  const mcc = head[2]!.text;
  if (!/^f+$/i.test(mcc)) Object.assign(cell, { mcc, mnc: head[3]!.text });
  if (lte.length < 17) return cell;
  const tac = hex(lte[4]);
  const ci = hex(lte[5]);
  const rsrp = num(lte[10]);
  const rsrq = num(lte[11]);
  return Object.assign(
    cell,
    defined({
      earfcn: num(lte[0]),
      band: lte[1]?.text ? `B${lte[1].text}` : undefined,
      tac: tac === 0xffff ? undefined : tac,
      ci: ci === 0 ? undefined : ci,
      pci: num(lte[6]),
      rsrpDbm: rsrp !== undefined && rsrp <= 97 ? -141 + rsrp : null,
      rsrqDb: rsrq !== undefined && rsrq <= 34 ? -20 + rsrq / 2 : null,
      sinrDb: inRange(Number.parseFloat(lte[12]!.text), RANGE.sinrDb),
    }),
  );
}

/**
 * u-blox AT+UCGED? in mode 5 (SARA-R410M, which has no mode 2): the serving cell's
 *   +RSRP: <pci>,<earfcn>,"<dBm, sign, 3 integer digits, 2 decimals>",
 *   +RSRQ: <pci>,<earfcn>,"<dB>",
 * with a trailing comma. Null when neither line is there (not camped).
 */
export function parseUcgedMode5(reply: string | readonly string[]): ServingCell | null {
  const lines = asLines(reply);
  const field = (prefix: string) => {
    const rest = lines.map((l) => afterPrefix(l, prefix)).find((r) => r !== undefined);
    const f = rest === undefined ? null : splitFields(rest.replace(/,\s*$/, ""));
    if (rest !== undefined && (f === null || f.length < 3)) throw parseError("+UCGED? (mode 5)", lines);
    return f ?? undefined;
  };
  const rsrp = field("+RSRP:");
  const rsrq = field("+RSRQ:");
  const any = rsrp ?? rsrq;
  if (any === undefined) return null;
  return {
    source: "+UCGED",
    rat: "LTE",
    ...defined({
      pci: num(any[0]),
      earfcn: num(any[1]),
      rsrpDbm: rsrp ? inRange(Number.parseFloat(rsrp[2]!.text), RANGE.rsrpDbm) : undefined,
      rsrqDb: rsrq ? inRange(Number.parseFloat(rsrq[2]!.text), RANGE.rsrqDb) : undefined,
    }),
  };
}

export const ublox: VendorProfile = {
  name: "ublox",
  matches: ({ manufacturer, model }) => /u-?blox/i.test(manufacturer) || /^(SARA|LARA|TOBY|LENA)-/i.test(model),
  // SARA-R4/R5 manuals: socket, PSD, SIM, HTTP, MQTT and firmware-update URCs.
  urcs: [
    { match: "+UUSTS:" },
    { match: "+UUPSDA:" },
    { match: "+UUPSDD:" },
    { match: "+UUSORD:" },
    { match: "+UUSORF:" },
    { match: "+UUSOCL:" },
    { match: "+UUSOLI:" },
    { match: "+UUSIMSTAT:" },
    { match: "+UUHTTPCR:" },
    { match: "+UUMQTTC:" },
    { match: "+UUMQTTCM:" },
    { match: "+UUFWINSTALL:" },
    { match: "+UUFOTASTAT:" },
    { match: "+UUPING:" },
    { match: "+UUPINGER:" },
    { match: "+UUDPDP:" },
    { match: "+UULOC:" },
    { match: "+UCMT:", trailingLines: 1, solicitedBy: null },
  ],
  iccidCommands: ["AT+CCID"],
  // The serving-cell report: mode 2 where the module has it (R412M, R5), else mode 5 (R410M).
  initCommands: ["AT+UCGED=2", "AT+UCGED=5"],
  // 15: silent reset of the module and the SIM (SARA-R4 has no 16; R5 has both).
  resetCommand: "AT+CFUN=15",
  // SARA-R410M: no network interface of its own (PPP or its sockets on the context); +UPSD is not used on R4.
  bearer: { cid: 1, cgact: true, up: [], airplane: 4 },
  async servingCell(port: ReportPort) {
    const r = await port.command("AT+UCGED?");
    if (r === undefined) return null;
    return r.lines.some((l) => /^\s*\+RSRP:|^\s*\+RSRQ:/i.test(l)) ? parseUcgedMode5(r.lines) : parseUcgedRead(r.lines);
  },
};
