import { cclk, cgact, cgatt, cgdcont, cgpaddr, cfun, clock, cops, csq, inService, onLte } from "../at-handlers/network.js";
import { registrationCommand, registrationLine, registrationUrcs, statOf, onNetwork } from "../at-handlers/registration.js";
import type { Domain, RegistrationFormat } from "../at-handlers/registration.js";
import { cmgd, cmgf, cmgl, cmgr, cmgs, cnma, cnmi, cpms, csca, csms } from "../at-handlers/sms.js";
import { args, ERROR, ok, OK, type CommandDef, type CommandTable, type Ctx, type Result } from "../at-handlers/types.js";
import { cimi, cmee, cpin, crsm, cscs, efIccid, iccidCommand, ident, v250 } from "../at-handlers/v250.js";
import type { Personality, SmsBehaviour } from "../personality.js";
import { cgerep, qcrmcall, qnetdevctl } from "./bearer-commands.js";
import { isRegistered, type Network, type SimRat } from "../state.js";

// Quectel EC25, written from the fact sheet of the "Quectel EC2x&EG9x&EG2x-G&EM05 Series AT Commands
// Manual" V2.0 (2021-02-24). "§x.y" below is a section of that manual; "[not in manual: …]" names the
// other source; "[choice: …]" marks where the sheet is silent and the standard (27.007/27.005) decided.
// The Quectel pieces the BG95 shares (its sheet gives them as "EC2x hints") are exported from here.

type Formats = Partial<Record<Domain, RegistrationFormat>>;

/** §6.1, §6.2, §10.14: 0 GSM, 2 UTRAN, 7 E-UTRAN (no 8/9 on EC25). */
const ec25Act = (rat: SimRat): number => (rat === "gsm" ? 0 : rat === "umts" ? 2 : 7);

/** §6.2/§10.11/§10.14: n 0–2; "D509" quoted 4-digit hex, ci quoted hex not padded ("80D413D"), AcT last. */
function ec25Format(rats?: readonly SimRat[]): RegistrationFormat {
  const f: RegistrationFormat = { maxN: 2, quote: true, areaWidth: 4, ciWidth: 0, act: true, actOf: ec25Act };
  return rats === undefined ? f : { ...f, rats };
}

// [choice: +CEREG reads 0 off LTE — EPS registration exists only on E-UTRAN (27.007 §10.1.22).]
const EC25_REG: Formats = { cs: ec25Format(), ps: ec25Format(), eps: ec25Format(["lte"]) };

/** A module serial number for AT+CGSN=0 (§2.9) [not in manual: value invented for the simulation]. */
const EC25_SN = "EC25EFA0A1234567";

// ---- pieces shared with the other Quectel personalities ----

/**
 * Runs a change of settings (+CFUN, a PIN) and raises the registration URCs it causes: 27.007 §7.2
 * reports every change of <stat> when <n> ≥ 1, whatever caused it. URCs go through ctx.urc (they follow
 * the answer): dispatch() keeps only the information lines of a handler's result, not its `urcs`.
 */
export function withRegistrationUrcs(ctx: Ctx, fmts: Formats, change: () => Result): Result {
  const lines = () =>
    (Object.entries(fmts) as Array<[Domain, RegistrationFormat]>).map(([d, f]) => registrationLine(ctx, d, "urc", f));
  const was = lines();
  const r = change();
  if ("ok" in r) for (const [i, l] of lines().entries()) if (l !== undefined && l !== was[i]) ctx.urc(l);
  return r;
}

const raise = (ctx: Ctx, urcs: readonly string[]): Result => {
  for (const u of urcs) ctx.urc(u);
  return OK;
};

/** ATI/+GMI/+GMM/+GMR/+GSN and their +C forms (§2.1–§2.9): bare text; only the =<snt> forms have a prefix. */
export function quectelIdentity(p: Personality, serial: string): CommandTable {
  const gsn = (prefix: string): CommandDef => ({
    exec: () => ok(p.imei), // §2.8/§2.9: the bare IMEI
    // §2.9: <snt> 1 IMEI, 0 serial number; the documented error form is +CMS ERROR [choice: code 302].
    write: (a) => (a === "1" ? ok(`${prefix}: ${p.imei}`) : a === "0" ? ok(`${prefix}: ${serial}`) : { cms: 302 }),
    test: () => ok(`${prefix}: (0,1)`), // §2.9 "(list of supported <snt>s)"
  });
  return {
    // §2.10–§2.16: ATE, ATQ0, ATV1, ATZ, AT&F, AT&W answer OK; ATI prints three lines (§2.1).
    ...v250({ echo: true, verbose: true, quiet: true, reset: true, factory: true, store: true, ati: () => ati(p) }),
    "+GMI": ident(() => [p.manufacturer]), // §2.2
    "+CGMI": ident(() => [p.manufacturer]), // §2.5
    "+GMM": ident(() => [p.model]), // §2.3
    "+CGMM": ident(() => [p.model]), // §2.6
    "+GMR": ident(() => [p.revision]), // §2.4: no "Revision: " here
    "+CGMR": ident(() => [p.revision]), // §2.7
    "+GSN": gsn("+GSN"), // §2.8
    "+CGSN": gsn("+CGSN"), // §2.9
  };
}

const ati = (p: Personality) => [p.manufacturer, p.model, `Revision: ${p.revision}`];

/**
 * +CPIN (§5.3): codes unquoted; after +CFUN=0 the SIM is off and the read answers +CME ERROR: 13 (§2.22);
 * a good PIN answers OK, then +CPIN: READY and the SIM's start-up URCs (§2.22 example).
 */
export function quectelCpin(fmts: Formats, simUrcs: readonly string[]): CommandDef {
  const base = cpin();
  return {
    read: (a, ctx) => (ctx.world.settings.cfun === 0 ? { cme: 13 } : base.read!(a, ctx)),
    write: (a, ctx) =>
      withRegistrationUrcs(ctx, fmts, () => {
        const r = base.write!(a, ctx);
        return "ok" in r ? raise(ctx, ["+CPIN: READY", ...simUrcs]) : r;
      }),
    test: () => OK, // [choice: 27.007 §8.3 test form answers OK]
  };
}

/**
 * +CFUN (§2.22): fun 0/1/4, rst 1 only with fun 1 (a reset). Back at fun 1 from 0 the SIM starts again:
 * +CPIN: <state> then, when ready, the SIM's URCs (§2.22 example).
 */
export function quectelCfun(fmts: Formats, simUrcs: readonly string[]): CommandDef {
  const base = cfun({ funs: [0, 1, 4], reset: true, test: "+CFUN: (0,1,4),(0,1)" });
  return {
    ...base,
    write: (a, ctx) => {
      const was = ctx.world.settings.cfun;
      return withRegistrationUrcs(ctx, fmts, () => {
        const r = base.write!(a, ctx);
        const sim = ctx.world.sim;
        if (!("ok" in r) || was !== 0 || ctx.world.settings.cfun !== 1 || !sim.present) return r;
        if (!sim.unlocked) return raise(ctx, [`+CPIN: ${sim.pinAttemptsLeft > 0 ? "SIM PIN" : "SIM PUK"}`]);
        return raise(ctx, ["+CPIN: READY", ...simUrcs]);
      });
    },
  };
}

/**
 * AT+QCCID (§5.7): `+QCCID: <ICCID>` unquoted. [choice: a 19-digit ICCID is printed as EF_ICCID holds it,
 * F-padded (TS 102 221 §13.2) — the sheet does not say.]
 */
export const qccid = (): CommandDef => iccidCommand((iccid) => `+QCCID: ${efIccid(iccid).raw}`);

const qindKey = (type: string) => `qind:${type}`;

/** A +QIND type is reported: its own switch on and the "all" master switch on (§4.3). */
export function qindOn(ctx: Ctx, type: string, defaults: Readonly<Record<string, number>>): boolean {
  const v = ctx.world.settings.vendor;
  return (v[qindKey("all")] ?? defaults.all) === 1 && (v[qindKey(type)] ?? defaults[type]) === 1;
}

/**
 * AT+QINDCFG=<urctype>[,<enable>[,<savetonvram>]] (§4.3). [choice: the query form `AT+QINDCFG=<urctype>`
 * answers `+QINDCFG: "<urctype>",<enable>`; an unknown type answers ERROR — neither is in the sheet.]
 * `onEnable` gives what is reported at once when a type is switched on ("act", §4.3).
 */
export function qindcfg(defaults: Readonly<Record<string, number>>, onEnable?: (type: string, ctx: Ctx) => string[]): CommandDef {
  return {
    write: (a, ctx) => {
      const [raw = "", enable, save] = args(a);
      const type = raw.toLowerCase();
      if (defaults[type] === undefined) return ERROR;
      const v = ctx.world.settings.vendor;
      if (enable === undefined) return ok(`+QINDCFG: "${type}",${v[qindKey(type)] ?? defaults[type]}`);
      if (!["0", "1"].includes(enable) || (save !== undefined && !["0", "1"].includes(save))) return ERROR;
      v[qindKey(type)] = Number(enable);
      return raise(ctx, enable === "1" && qindOn(ctx, type, defaults) ? (onEnable?.(type, ctx) ?? []) : []);
    },
  };
}

const CSQ = csq();
/** What +CSQ reports now, `<rssi>,<ber>`: the +QIND "csq" URC carries the same values (§4.3). */
const csqValues = (ctx: Ctx) => {
  const r = CSQ.exec!("", ctx);
  return "ok" in r ? r.ok[0]!.replace("+CSQ: ", "") : "99,99";
};

/** `+QIND: "csq",<rssi>,<ber>` when the CSQ values change and "csq" is on (§4.3). */
export function qindCsqUrcs(ctx: Ctx, before: Network, defaults: Readonly<Record<string, number>>): string[] {
  if (!qindOn(ctx, "csq", defaults)) return [];
  const is = csqValues(ctx);
  return onNetwork(ctx, before, () => csqValues(ctx)) === is ? [] : [`+QIND: "csq",${is}`];
}

/** AT+QLTS[=<mode>] (§6.8): `"yyyy/MM/dd,hh:mm:ss±zz,<dst>"`, dst inside the quotes; `""` before NITZ. */
export function qlts(): CommandDef {
  const line = (ctx: Ctx, mode: string): string => {
    const tz = ctx.world.net.nitzTzMinutes;
    if (tz === null) return '+QLTS: ""';
    const local = clock(ctx, 4);
    // [choice: modes 0 (last sync) and 1 (GMT) print universal time with the zone, as NITZ carries it
    // (27.007 +CTZE); mode 2 the local time. The sheet names the modes only. dst is always 0 here.]
    ctx.world.net.nitzTzMinutes = 0;
    const utc = clock(ctx, 4);
    ctx.world.net.nitzTzMinutes = tz;
    const time = mode === "2" ? local : `${utc.slice(0, -3)}${local.slice(-3)}`;
    return `+QLTS: "${time},0"`;
  };
  return {
    exec: (_a, ctx) => ok(line(ctx, "0")),
    write: (a, ctx) => (["0", "1", "2"].includes(a) ? ok(line(ctx, a)) : ERROR),
    test: () => ok("+QLTS: (0-2)"), // [choice: not in the sheet]
  };
}

/** AT+CTZU (§6.6): `+CTZU: (0,1,3)`; the default differs per module. */
export function ctzu(defaultValue: number): CommandDef {
  return {
    read: (_a, ctx) => ok(`+CTZU: ${ctx.world.settings.vendor.ctzu ?? defaultValue}`),
    write: (a, ctx) => {
      if (!["0", "1", "3"].includes(a)) return ERROR;
      ctx.world.settings.vendor.ctzu = Number(a);
      return OK;
    },
    test: () => ok("+CTZU: (0,1,3)"),
  };
}

/** AT+QPOWD[=<n>] (§13.1): OK, then POWERED DOWN (the simulator cannot cut its own power; it stays up). */
export function qpowd(): CommandDef {
  const down = (_a: string, ctx: Ctx) => raise(ctx, ["POWERED DOWN"]);
  return { exec: down, write: (a, ctx) => (a === "0" || a === "1" ? down(a, ctx) : ERROR) };
}

/** AT+QNWINFO (§6.9): `<Act>,<oper>,<band>,<channel>`; [choice: `"NONE"` alone without service]. */
export function qnwinfo(o: { act: (net: Network) => string; band: (net: Network) => string; quoteOper: boolean }): CommandDef {
  return {
    exec: (_a, ctx) => {
      const net = ctx.world.net;
      if (!inService(ctx)) return ok('+QNWINFO: "NONE"');
      const oper = o.quoteOper ? `"${net.mcc}${net.mnc}"` : `${net.mcc}${net.mnc}`;
      return ok(`+QNWINFO: "${o.act(net)}",${oper},"${o.band(net)}",${net.earfcn}`);
    },
    test: () => OK,
  };
}

/** §9.13: mode 0–2, mt 0–3, bm 0/2, ds 0–2, bfr 0–1. */
const CNMI_VALUES: ReadonlyArray<readonly number[]> = [
  [0, 1, 2],
  [0, 1, 2, 3],
  [0, 2],
  [0, 1, 2],
  [0, 1],
];

/** The 27.005 SMS commands as Quectel's §9 documents them; `maxTpdu` is the +CMGS <length> limit. */
export function quectelSms(o: { maxTpdu: number }): CommandTable {
  const list = cmgl();
  const ack = cnma();
  return {
    "+CMGF": cmgf({ text: true }), // §9.2: 0 PDU (default), 1 text
    "+CSMS": csms(), // §9.1: +CSMS: 1,1,1 / +CSMS: <svc>,1,1,1 / (0,1)
    "+CSCA": csca(), // §9.3
    "+CPMS": cpms(), // §9.4
    // §9.13: the ranges are the manual's; the test line is built from them (literal not given).
    "+CNMI": cnmi({
      test: "+CNMI: (0-2),(0-3),(0,2),(0-2),(0,1)",
      accepts: (v) => v.length <= 5 && v.every((x, i) => CNMI_VALUES[i]!.includes(x)),
    }),
    // §9.12: AT+CNMA or AT+CNMA=<n> (<n> only in PDU mode [choice: ERROR in text mode]); nothing owed → 340.
    "+CNMA": { ...ack, write: (a, ctx) => (ctx.world.settings.cmgf === 1 ? ERROR : ack.write!(a, ctx)) },
    // §9.6: AT+CMGL with no <stat> lists the unread messages.
    "+CMGL": { ...list, exec: (_a, ctx) => list.write!(ctx.world.settings.cmgf === 0 ? "0" : '"REC UNREAD"', ctx) },
    "+CMGR": cmgr(), // §9.7: +CMGR: <stat>,,<length> CRLF <pdu>
    "+CMGD": cmgd(), // §9.5: <index>[,<delflag 0–4>]
    "+CMGS": cmgs({ maxTpdu: o.maxTpdu }), // §9.8: "> " prompt, +CMGS: <mr>
  };
}

/** §9.12 and 27.005 §3.4.4: +CNMA owed only after AT+CSMS=1; a missed ack turns routing off silently. */
export const QUECTEL_SMS_ACK: Omit<SmsBehaviour, "memories"> = {
  cmtHeader: (len) => `+CMT: ,${len}`, // [not in manual: Quectel prints nothing before the comma]
  ack: "csms1",
  // [choice: the network's wait is TS 24.011's TR2M, 12–20 s; the sheet says only "network timeout".]
  ackTimeoutMs: 15_000,
  ackTimeoutUrcs: [], // §9.12: RP-ERROR and <mt>/<ds> set to 0, no URC documented
  unexpectedAck: { cms: 340 }, // §9.12, §15.5
};

// ---- EC25 only ----

/** The QINDCFG types of §4.3 and their defaults: the master switch and ring/smsincoming on, the rest off. */
const EC25_QIND = { all: 1, csq: 0, smsfull: 0, ring: 1, smsincoming: 1, act: 0, ccinfo: 0 };

/** §4.3 <actvalue>. [choice: UMTS is reported as plain "WCDMA"; no service as "UNKNOWN".] */
const actName = (ctx: Ctx) =>
  !inService(ctx)
    ? "UNKNOWN"
    : ({ gsm: "GSM", umts: "WCDMA", lte: "LTE", "lte-m": "LTE", "nb-iot": "LTE" } as const)[ctx.world.net.rat];

const isTdd = (net: Network) => net.band >= 33 && net.band <= 53; // TS 36.101 Table 5.5-1: bands 33–53 are TDD

/** <state> of +QENG (§6.17): registered → NOCONN (no connected mode simulated), denied → LIMSRV, else SEARCH. */
function engState(ctx: Ctx): string | undefined {
  const stat = statOf(ctx, onLte(ctx.world.net) ? "eps" : "cs");
  return isRegistered(stat) ? "NOCONN" : stat === 3 ? "LIMSRV" : undefined;
}

/** AT+QENG="servingcell" (§6.17); fields the simulated world does not know print "-" (the manual's invalid value). */
function servingCell(ctx: Ctx): string {
  const state = engState(ctx);
  if (state === undefined) return '+QENG: "servingcell","SEARCH"';
  const n = ctx.world.net;
  const v = (x: number | null) => (x === null ? "-" : String(Math.round(x)));
  const h = (x: number) => x.toString(16).toUpperCase(); // unquoted, not padded
  const head = `"servingcell","${state}"`;
  if (n.rat === "gsm") {
    // The manual's GSM examples print no space after the colon.
    return `+QENG:${head},"GSM",${n.mcc},${n.mnc},${h(n.lac)},${h(n.ci)},-,${n.earfcn},-,${v(n.rssiDbm)},${"-,".repeat(15)}"-"`;
  }
  if (n.rat === "umts")
    return `+QENG: ${head},"WCDMA",${n.mcc},${n.mnc},${h(n.lac)},${h(n.ci)},${n.earfcn},${n.pci}${",-".repeat(8)}`;
  // bandwidth code 5 = 20 MHz [choice: the world has no bandwidth]; srxlev = rsrp + 139 [choice: the
  // world has no Qrxlevmin; this reproduces the manual's example, rsrp −93 → srxlev 46].
  const cell = `${n.mcc},${n.mnc},${h(n.ci)},${n.pci},${n.earfcn},${n.band},5,5,${h(n.tac)}`;
  const meas = `${v(n.rsrpDbm)},${v(n.rsrqDb)},${v(n.rssiDbm)},${v(n.sinrDb)},${n.rsrpDbm === null ? "-" : n.rsrpDbm + 139}`;
  return `+QENG: ${head},"LTE","${isTdd(n) ? "TDD" : "FDD"}",${cell},${meas}`;
}

function ec25Sim(): CommandTable {
  const simUrcs = ["+QUSIM: 1", "+QIND: PB DONE", "+QIND: SMS DONE"]; // §2.22 example order
  return {
    "+CMEE": cmee([0, 1, 2], "+CMEE: (0-2)"), // §2.23
    "+CSCS": cscs(["GSM", "IRA", "UCS2"]), // §2.24 [choice: the 27.007 §5.5 sets; the sheet lists none]
    "+CPIN": quectelCpin(EC25_REG, simUrcs),
    "+CFUN": quectelCfun(EC25_REG, simUrcs),
    "+CIMI": cimi(), // §5.1: bare IMSI
    "+CRSM": crsm(), // §5.6
    "+QCCID": qccid(), // §5.7: the only ICCID command
    // §5.8: "SC" counters from the SIM [choice: PUK 10, PIN2 3/PUK2 10 — the sheet gives the form only].
    "+QPINC": { read: (_a, ctx) => ok(`+QPINC: "SC",${ctx.world.sim.pinAttemptsLeft},10`, '+QPINC: "P2",3,10') },
    // §5.9: bits 1 CPIN READY, 2 SMS done, 4 phonebook done.
    "+QINISTAT": { exec: (_a, ctx) => ok(`+QINISTAT: ${ctx.world.sim.present && ctx.world.sim.unlocked ? 7 : 0}`) },
  };
}

function ec25Network(): CommandTable {
  return {
    "+CSQ": csq(), // §6.3: +CSQ: <rssi>,<ber>; 99,99 without service
    "+CREG": registrationCommand("cs", EC25_REG.cs!), // §6.2
    "+CGREG": registrationCommand("ps", EC25_REG.ps!), // §10.11
    "+CEREG": registrationCommand("eps", EC25_REG.eps!), // §10.14
    // §6.1: +COPS: 0,0,"<long>",7; +COPS: 0 without an operator. A change of selection shows as registration URCs.
    "+COPS": cops({ actOf: ec25Act, around: (ctx, write) => withRegistrationUrcs(ctx, EC25_REG, write) }),
    "+CGATT": cgatt(), // §10.1
    // §10.2: <cid>,<type>,<APN>,<addr>,<d_comp>,<h_comp>,<IPv4_alloc>,<request_type> [choice: cids 1–16,
    // address "0.0.0.0" and zeros — no concrete values in the sheet, so no test form either].
    "+CGDCONT": cgdcont({ tail: () => ',"0.0.0.0",0,0,0,0', cids: [1, 16] }),
    "+CGACT": cgact({ defaultCid: 1 }), // §10.7 [choice: cid 1 is the LTE attach bearer]
    "+CGPADDR": cgpaddr({ quote: true, defaultCid: 1 }), // §10.9: +CGPADDR: 1,"10.76.51.180"
    "+CCLK": cclk(), // §13.2: "yy/MM/dd,hh:mm:ss±zz"
    "+QLTS": qlts(), // §6.8
    "+CTZU": ctzu(0), // §6.6: example read +CTZU: 0
    "+QENG": {
      // §6.17; no neighbour cells are simulated, so "neighbourcell" lists none.
      write: (a, ctx) => {
        const type = args(a)[0]!.toLowerCase();
        return type === "servingcell" ? ok(servingCell(ctx)) : type === "neighbourcell" ? OK : ERROR;
      },
    },
    "+QNWINFO": qnwinfo({
      // §6.9: "FDD LTE"/"TDD LTE", "LTE BAND 3"; operator unquoted. [choice: 2G/3G band as "GSM <band>"/"WCDMA <band>"]
      act: (net) => (onLte(net) ? (isTdd(net) ? "TDD LTE" : "FDD LTE") : net.rat === "umts" ? "WCDMA" : "GSM"),
      band: (net) => (onLte(net) ? `LTE BAND ${net.band}` : `${net.rat === "umts" ? "WCDMA" : "GSM"} ${net.band}`),
      quoteOper: false,
    }),
    "+QINDCFG": qindcfg(EC25_QIND, (type, ctx) => (type === "act" ? [`+QIND: "act","${actName(ctx)}"`] : [])),
    "+QPOWD": qpowd(),
    "+CGEREP": cgerep("+CGEREP: (0-2),(0,1)"), // §10.12: default 0,0
    "+QNETDEVCTL": qnetdevctl(), // the ECM/RNDIS interface (not in this manual; see bearer-commands.ts)
    // §10.17: the RmNet call, `AT$QCRMCALL=1,1,1,2,1` → `$QCRMCALL: 1,V4`; stop with `AT$QCRMCALL=0,1,…`.
    $QCRMCALL: qcrmcall(1),
  };
}

export const quectelEc25: Personality = {
  id: "quectel-ec25",
  title: "Quectel EC25",
  sources:
    "Quectel EC2x&EG9x&EG2x-G&EM05 Series AT Commands Manual V2.0 (2021-02-24), read as the chapter-by-chapter rendering in " +
    "ShiYvXvan/Quectel-AT-Commands (commit 7572f93b); +CMT header and boot order from public EC2x traces; 3GPP TS 27.007/27.005 " +
    "where the manual is silent",
  manufacturer: "Quectel", // §2.2
  model: "EC25", // §2.3
  revision: "EC25EFAR02A09M4G", // §2.1 example firmware
  imei: "861672034123459", // [not in manual: an invented IMEI with a valid check digit]
  rats: ["lte", "umts", "gsm"], // §8: LTE Cat 4, WCDMA/HSPA+, GSM/EDGE
  timing: { replyMs: 10, bootMs: 2000 }, // [choice: the manual gives maxima (300 ms) and no boot time]
  // §5 power-on order [not in manual: a real EC2x trace shows exactly this order].
  bootBanners: ["RDY", "+CFUN: 1", "+CPIN: READY", "+QUSIM: 1", "+QIND: SMS DONE", "+QIND: PB DONE"],
  // §15.1 factory defaults: echo on, +CMEE 1, +CMGF 0, +CSMS 0, +CNMI 2,1,0,0,0, all <n> 0.
  defaults: { echo: true, cmee: 1, cfun: 1, cmgf: 0, csms: 0, cnmi: [2, 1, 0, 0, 0], cregN: 0, cgregN: 0, ceregN: 0, cgerep: 0 },
  junkBeforeAt: "ignore", // [choice: unknown in the sheet; V.250 lets the DCE skip what precedes "AT"]
  resets: ["AT+CFUN=1,1"], // §2.22: rst 1 resets the module
  prompt: "> ", // §9.8
  // §9.4, §15.1: "ME" (255) is the default of all three memories; "SM" 50 as in the manual's example.
  // [choice: indexes from 0 — the sheet does not say; 27.005 leaves it to the module.]
  sms: { memories: { ME: 255, SM: 50 }, firstIndex: 0, defaultMemory: "ME", ...QUECTEL_SMS_ACK },
  // §10.12: the network's deactivation in the form the manual lists, `+CGEV: NW DEACT <PDP_type>, <PDP_addr>,[<cid>]`.
  networkTeardown: (cid, address) => `+CGEV: NW DEACT "IP", "${address}", ${cid}`,
  networkChanged: (ctx, before) => {
    const act = qindOn(ctx, "act", EC25_QIND) && onNetwork(ctx, before, () => actName(ctx)) !== actName(ctx);
    return [
      ...registrationUrcs(ctx, before, EC25_REG),
      ...qindCsqUrcs(ctx, before, EC25_QIND),
      ...(act ? [`+QIND: "act","${actName(ctx)}"`] : []), // §4.3: on change
    ];
  },
  commands: (ctx) => ({
    ...quectelIdentity(ctx.p, EC25_SN),
    ...ec25Sim(),
    ...ec25Network(),
    // §9.8 says 140 octets: that is the user data; the <length> bound is 27.005's largest SUBMIT TPDU.
    ...quectelSms({ maxTpdu: 164 }),
  }),
};
