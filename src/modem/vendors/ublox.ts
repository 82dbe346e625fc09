import type { AtPort } from "../../at/index.js";
import { afterPrefix, asLines, parseError, splitFields } from "../parsers/fields.js";
import type { ServingCell } from "../types.js";
import { defined, hex, inRange, num, RANGE, type VendorProfile } from "./profile.js";

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

export const ublox: VendorProfile = {
  name: "ublox",
  matches: ({ manufacturer, model }) => /u-?blox/i.test(manufacturer) || /^(SARA|LARA|TOBY|LENA)-/i.test(model),
  urcs: [{ match: "+UUSTS:" }, { match: "+UUPSDD:" }, { match: "+UUSOCL:" }],
  iccidCommands: ["AT+CCID"],
  // Mode 2 selects the serving-cell report parseUcgedRead reads.
  initCommands: ["AT+UCGED=2"],
  // 16: MT silent reset without resetting the SIM.
  resetCommand: "AT+CFUN=16",
  async servingCell(port: AtPort, signal?: AbortSignal) {
    const r = await port.command("AT+UCGED?", signal ? { signal } : {});
    return parseUcgedRead(r.lines);
  },
};
