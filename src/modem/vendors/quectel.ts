import { afterPrefix, asLines, parseError, splitFields } from "../parsers/fields.js";
import { csqRssiDbm, parseQltsExec } from "../parsers/index.js";
import type { ServingCell } from "../types.js";
import { defined, hex, inRange, num, RANGE, type ReportPort, type VendorProfile } from "./profile.js";

/**
 * Quectel AT+QENG="servingcell". LTE / CAT-M / NB-IoT field order (EG25-G, BG96):
 * "servingcell",<state>,<rat>,<is_tdd>,<mcc>,<mnc>,<cellid>,<pcid>,<earfcn>,<band>,<ul_bw>,
 * <dl_bw>,<tac>,<rsrp>,<rsrq>,<rssi>,<sinr>,<srxlev>. `-` is a missing value. Some firmware
 * breaks the line after `+QENG:`. `"SEARCH"` alone means not camped.
 */
export function parseQengServingcell(reply: string | readonly string[]): ServingCell | null {
  const lines = asLines(reply);
  const i = lines.findIndex((l) => afterPrefix(l, "+QENG:") !== undefined);
  if (i < 0) throw parseError('+QENG="servingcell"', lines, "no +QENG line");
  let rest = afterPrefix(lines[i]!, "+QENG:")!;
  if (rest === "" && lines[i + 1] !== undefined) rest = lines[i + 1]!.trim();
  const f = splitFields(rest.replace(/,\s*-\s*(?=,|$)/g, ","));
  if (f === null || f[0]?.text.toLowerCase() !== "servingcell") throw parseError('+QENG="servingcell"', lines);
  const state = f[1]?.text;
  const rat = f[2]?.text;
  if (rat === undefined || rat === "") return null;
  const cell: ServingCell = { source: "+QENG", rat, ...(state ? { state } : {}) };
  if (rat === "LTE" || rat === "CAT-M" || rat === "CAT-NB" || rat === "eMTC" || rat === "NBIoT") {
    return Object.assign(
      cell,
      defined({
        mcc: f[4]?.text,
        mnc: f[5]?.text,
        ci: hex(f[6]),
        pci: num(f[7]),
        earfcn: num(f[8]),
        band: f[9]?.text ? `B${f[9].text}` : undefined,
        tac: hex(f[12]),
        rsrpDbm: inRange(num(f[13]), RANGE.rsrpDbm),
        rsrqDb: inRange(num(f[14]), RANGE.rsrqDb),
        rssiDbm: inRange(num(f[15]), RANGE.rssiDbm),
        sinrDb: inRange(num(f[16]), RANGE.sinrDb),
      }),
    );
  }
  if (rat === "WCDMA") {
    // <mcc>,<mnc>,<lac>,<cellid>,<uarfcn>,<psc>,<rac>,<rscp>,<ecio>,…
    return Object.assign(cell, defined({ mcc: f[3]?.text, mnc: f[4]?.text, lac: hex(f[5]), ci: hex(f[6]), rssiDbm: null }));
  }
  if (rat === "GSM") {
    // <mcc>,<mnc>,<lac>,<cellid>,<bsic>,<arfcn>,<band>,<rxlev>,…
    return Object.assign(cell, defined({ mcc: f[3]?.text, mnc: f[4]?.text, lac: hex(f[5]), ci: hex(f[6]) }));
  }
  return cell;
}

export interface Qcsq {
  rat: string;
  rssiDbm?: number | null;
  rsrpDbm?: number | null;
  sinrDb?: number | null;
  rsrqDb?: number | null;
}

/**
 * Quectel AT+QCSQ → `+QCSQ: "LTE",<rssi>,<rsrp>,<sinr>,<rsrq>` (GSM: rssi only; WCDMA: rssi,
 * rscp, ecio; `"NOSERVICE"`). The LTE SINR here is raw: dB = raw / 5 - 20.
 */
export function parseQcsqExec(reply: string | readonly string[]): Qcsq {
  const lines = asLines(reply);
  const rest = lines.map((l) => afterPrefix(l, "+QCSQ:")).find((r) => r !== undefined);
  const f = rest === undefined ? null : splitFields(rest);
  if (f === null || f[0] === undefined || f[0].text === "") throw parseError("+QCSQ", lines);
  const rat = f[0].text;
  if (rat === "LTE" || rat === "CAT-M1" || rat === "CAT-NB1" || rat === "eMTC" || rat === "NBIoT") {
    const sinr = num(f[3]);
    return {
      rat,
      rssiDbm: inRange(num(f[1]), RANGE.rssiDbm),
      rsrpDbm: inRange(num(f[2]), RANGE.rsrpDbm),
      sinrDb: sinr === undefined ? null : inRange(sinr / 5 - 20, RANGE.sinrDb),
      rsrqDb: inRange(num(f[4]), RANGE.rsrqDb),
    };
  }
  if (rat === "GSM" || rat === "WCDMA") return { rat, rssiDbm: inRange(num(f[1]), RANGE.rssiDbm) };
  return { rat };
}

/**
 * Quectel AT+QNWINFO → `+QNWINFO: <act>,<oper>,<band>,<channel>` (EC2x manual §6.9): the radio in
 * words ("FDD LTE", "eMTC", "NBIoT", "GSM"…) and the band ("LTE BAND 3"); the operator is quoted on
 * BG9x and bare on EC2x. `"No Service"` when not camped.
 */
export function parseQnwinfoExec(reply: string | readonly string[]): { act: string; band?: string; channel?: number } | null {
  const lines = asLines(reply);
  const rest = lines.map((l) => afterPrefix(l, "+QNWINFO:")).find((r) => r !== undefined);
  const f = rest === undefined ? null : splitFields(rest);
  if (f === null || f[0] === undefined || f[0].text === "") throw parseError("+QNWINFO", lines);
  const act = f[0].text;
  if (/^no ?service$|^none$/i.test(act)) return null;
  const band = /BAND\s*(\d+)/i.exec(f[2]?.text ?? "")?.[1];
  return defined({ act, band: band ? `B${band}` : undefined, channel: num(f[3]) });
}

/** The serving cell from +QENG (EC2x), else +QCSQ and +QNWINFO (BG9x have no +QENG). */
async function quectelCell(port: ReportPort): Promise<ServingCell | null> {
  const qeng = await port.command('AT+QENG="servingcell"');
  if (qeng !== undefined) return parseQengServingcell(qeng.lines);
  const qcsq = await port.command("AT+QCSQ");
  const nw = await port.command("AT+QNWINFO");
  const info = nw === undefined ? undefined : parseQnwinfoExec(nw.lines);
  const q = qcsq === undefined ? undefined : parseQcsqExec(qcsq.lines);
  if (info === null || q?.rat === "NOSERVICE" || (q === undefined && info === undefined)) return null;
  const cell: ServingCell = { source: q ? "+QCSQ" : "+QNWINFO", rat: q?.rat ?? info!.act, ...q };
  if (info?.band !== undefined) cell.band = info.band;
  if (info?.channel !== undefined) cell.earfcn = info.channel;
  return cell;
}

export const quectel: VendorProfile = {
  name: "quectel",
  matches: ({ manufacturer, model }) =>
    /quectel/i.test(manufacturer) || /^(EC2\d|EG\d\d|BG9\d|EM\d\d|RM5\d\d|EP06|EC200)/i.test(model),
  // EC2x manual §15.6 URC table, §4.3 (+QIND), §5.11, §10.18; BG9x boot and TCP/IP app notes.
  urcs: [
    { match: "+QIND:" },
    { match: "+QUSIM:" },
    { match: "+QSTAT:" },
    { match: "+QCSQ:" },
    { match: "+QNITZ:" },
    { match: "+QSIMSTAT:" },
    { match: "+QNETDEVSTATUS:" },
    { match: "+QIURC:" },
    { match: "+QIOPEN:" },
    { match: "+QMTSTAT:" },
    { match: "+QMTRECV:" },
    { match: "+QPSMTIMER:" },
    { match: "+APIND:" },
    { match: "APP RDY", exact: true },
  ],
  iccidCommands: ["AT+QCCID", "AT+CCID"],
  // Signal changes as URCs (the URC master switch "all" is on by default).
  initCommands: ['AT+QINDCFG="csq",1'],
  resetCommand: "AT+CFUN=1,1",
  // ECM/RNDIS once AT+QCFG="usbnet" is set (a one-time setting, kept in NVM): AT+QNETDEVCTL=<op>,<cid>,<urc>
  // connects the module's own interface and reports +QNETDEVSTATUS. Modules without it (BG95) refuse it: +CGACT then.
  // In the default RmNet/QMI composition the EC2x manual's own command starts the call (§10.17): AT$QCRMCALL=1,1.
  bearer: { cid: 1, cgact: true, up: ["AT+QNETDEVCTL=1,{cid},1", "AT$QCRMCALL=1,1"], airplane: 4 },
  servingCell: quectelCell,
  // EC2x manual §4.3: +QIND: "csq",<rssi>,<ber> once AT+QINDCFG="csq",1.
  signalUrc(line) {
    const m = /^\+QIND:\s*"csq",\s*(\d+),\s*(\d+)/i.exec(line.trim());
    return m === null ? undefined : { rssiDbm: csqRssiDbm(Number(m[1])), ber: Number(m[2]) <= 7 ? Number(m[2]) : null };
  },
  async networkTime(port: ReportPort) {
    // Mode 2: the local time computed from the last NITZ; empty when none was received.
    const r = await port.command("AT+QLTS=2");
    return r === undefined ? undefined : parseQltsExec(r.lines);
  },
};
