import { attached, cclk, cfun, cgact, cgatt, cgdcont, cgpaddr, clock, cops, csq, inService } from "../at-handlers/network.js";
import {
  ACT_27007,
  registrationCommand,
  registrationUrcs,
  type RegistrationFormat,
  onNetwork,
} from "../at-handlers/registration.js";
import { cmgd, cmgf, cmgl, cmgr, cmgs, cnma, cnmi, cpms, csca, csms } from "../at-handlers/sms.js";
import { args, ERROR, hex, ok, OK, type CommandDef, type CommandTable, type Ctx, type Result } from "../at-handlers/types.js";
import { cimi, cmee, cpin, crsm, cscs, efIccid, iccidCommand, ident, v250 } from "../at-handlers/v250.js";
import type { Personality } from "../personality.js";
import { cgerep, qcrmcall } from "./bearer-commands.js";
import type { Network, SimRat } from "../state.js";

// SIMCom SIM7600G-H, written from the fact sheet docs/modems/simcom-sim7600.md. "§x" is a section
// of the A76XX Series AT Command Manual V1.09 (the nearest stored SIMCom manual, the SIM7500/SIM7600
// manual itself being unreadable); [CAP] marks real SIM7600 output the sheet quotes; "sheet silent"
// marks a choice made here.

// ---- pieces the SIMCom personalities share (simcom-sim7080.ts imports them) ----

/**
 * +CPIN with `+CPIN: READY` printed as a URC after the OK of a good PIN (raised through ctx.urc: a
 * result's `urcs` does not survive the dispatcher). `wellFormed` rejects a malformed PIN with ERROR.
 */
export function pinWithReadyUrc(wellFormed: (a: string) => boolean): CommandDef {
  const pin = cpin();
  return {
    ...pin,
    write: (a, ctx) => {
      if (!wellFormed(a)) return ERROR;
      const r = pin.write!(a, ctx);
      if ("ok" in r) ctx.urc("+CPIN: READY");
      return r;
    },
  };
}

/** The first information line a command answers (undefined on an error). */
export const firstLine = (r: Result): string | undefined => ("ok" in r ? r.ok[0] : undefined);

/** ATX0–4, AT&C, AT&D: accepted, nothing simulated behind them. */
export function basicExtras(): CommandTable {
  const range = (re: RegExp): CommandDef => ({ exec: (a) => (re.test(a) ? OK : ERROR) });
  return { X: range(/^[0-4]?$/), "&C": range(/^[0-2]?$/), "&D": range(/^[0-2]?$/) };
}

/** A vendor on/off-style setting kept in settings.vendor: `AT+X?` → `+X: v`, `AT+X=v` for v in `values`. */
export function vendorSetting(name: string, key: string, values: readonly number[], test: string): CommandDef {
  return {
    read: (_a, ctx) => ok(`${name}: ${ctx.world.settings.vendor[key] ?? 0}`),
    write: (a, ctx) => {
      if (!values.includes(Number(a)) || !/^\d+$/.test(a)) return ERROR;
      ctx.world.settings.vendor[key] = Number(a);
      return OK;
    },
    test: () => ok(test),
  };
}

/** +CNSMOD (§4.2.11): `<n>,<stat>` read; with n=1 a `+CNSMOD: <stat>` URC when the system mode changes. */
export function cnsmod(statOf: (ctx: Ctx) => number): { def: CommandDef; urc: (ctx: Ctx, before: Network) => string[] } {
  return {
    def: {
      ...vendorSetting("+CNSMOD", "cnsmod", [0, 1], "+CNSMOD: (0-1)"),
      read: (_a, ctx) => ok(`+CNSMOD: ${ctx.world.settings.vendor.cnsmod ?? 0},${statOf(ctx)}`),
    },
    urc: (ctx, before) => {
      const was = onNetwork(ctx, before, () => statOf(ctx));
      const is = statOf(ctx);
      return ctx.world.settings.vendor.cnsmod === 1 && was !== is ? [`+CNSMOD: ${is}`] : [];
    },
  };
}

/** The +CNMI combinations a SIMCom module takes: mode 0–2, mt 0–3, bm 0/2, ds 0–2, bfr 0/1, and its mode rule. */
export function cnmiAccepts(rule: (mode: number, mt: number, ds: number) => boolean) {
  return (v: readonly number[]): boolean => {
    const [mode = 0, mt = 0, bm = 0, ds = 0, bfr = 0] = v;
    const ranges = mode <= 2 && mt <= 3 && (bm === 0 || bm === 2) && ds <= 2 && bfr <= 1 && v.every((x) => x >= 0);
    return v.length <= 5 && ranges && rule(mode, mt, ds);
  };
}

/** The operation mode +CPSI prints for a +CFUN level (sheet lists the words, not the mapping: chosen here). */
export function operationMode(cfun: number): string {
  return (
    ({ 0: "Low Power Mode", 4: "Low Power Mode", 5: "Factory Test Mode", 7: "Offline" } as Record<number, string>)[cfun] ??
    "Online"
  );
}

// ---- SIM7600 ----

const loc = { quote: true, areaWidth: 4, ciWidth: 8, actOf: ACT_27007 } as const;
// §4.2.1 / §5.2.1: `<n>,<stat>[,<lac>,<ci>]`, no AcT; lac a 2-byte hex string (quoted: a 27.007 string;
// padding to 4/8 digits: sheet silent, the field sizes of 27.007).
const CREG: RegistrationFormat = { maxN: 2, ...loc, act: false };
const CGREG: RegistrationFormat = { maxN: 2, ...loc, act: false };
// §5.2.2: the read form is `<n>,<stat>[,<tac>,<ci>]`, the n=2 URC adds `[,<AcT>]` (7). E-UTRAN only.
const CEREG_READ: RegistrationFormat = { maxN: 2, ...loc, act: false, rats: ["lte"] };
const CEREG_URC: RegistrationFormat = { ...CEREG_READ, act: true };

/** §4.2.11 <stat>: 0 no service, 1 GSM, 4 WCDMA, 8 LTE. */
const systemMode = (ctx: Ctx): number =>
  inService(ctx) ? (({ gsm: 1, umts: 4, lte: 8 } as Partial<Record<SimRat, number>>)[ctx.world.net.rat] ?? 0) : 0;
const CNSMOD = cnsmod(systemMode);

/** §4.2.9 +CPSI?; on SIM7600 the LTE RSRQ/RSRP/RSSI are in tenths [CAP], TAC `0x` + 4 upper-case hex digits. */
function cpsi(ctx: Ctx): string {
  const n = ctx.world.net;
  const mode = operationMode(ctx.world.settings.cfun);
  if (!inService(ctx)) return `+CPSI: NO SERVICE,${mode}`; // [CAP: "NO SERVICE,Online"]
  // An unknown level prints 0 (sheet silent).
  const tenths = (v: number | null) => String(v === null ? 0 : Math.round(v * 10));
  const plmn = `${n.mcc}-${n.mnc}`;
  if (n.rat === "gsm") {
    // GSM field order per §4.2.9; Track LO Adjust and C1-C2 are not simulated (0, "0-0"), RxLev in dBm: sheet silent.
    return `+CPSI: GSM,${mode},${plmn},0x${hex(n.lac)},${n.ci},${n.earfcn},${n.rssiDbm ?? 0},0,0-0`;
  }
  if (n.rat === "umts") {
    // WCDMA field order per §4.2.9; band name, SSC, Qual and TXPWR are not simulated (sheet silent).
    const levels = `${n.rsrqDb ?? 0},${n.rsrpDbm ?? 0},0,${n.rssiDbm ?? 0},0`;
    return `+CPSI: WCDMA,${mode},${plmn},0x${hex(n.lac)},${n.ci},WCDMA BAND${n.band},${n.pci},${n.earfcn},0,${levels}`;
  }
  // dlbw/ulbw: the world has no bandwidth; 5,5 as in the sheet's first capture.
  const levels = `${tenths(n.rsrqDb)},${tenths(n.rsrpDbm)},${tenths(n.rssiDbm)},${Math.round(n.sinrDb ?? 0)}`;
  return `+CPSI: LTE,${mode},${plmn},0x${hex(n.tac)},${n.ci},${n.pci},EUTRAN-BAND${n.band},${n.earfcn},5,5,${levels}`;
}

function identity(ctx: Ctx): CommandTable {
  const p = ctx.p;
  return {
    // §2.2.7 ATI; +GCAP as on the SIM7600 [CAP: AT+SIMCOMATI prints "+GCAP: +CGSM"].
    ...v250({
      echo: true,
      verbose: true,
      quiet: true,
      reset: true,
      factory: true,
      store: true,
      ati: () => [
        `Manufacturer: ${p.manufacturer}`,
        `Model: ${p.model}`,
        `Revision: ${p.revision}`,
        `IMEI: ${p.imei}`,
        "+GCAP: +CGSM",
      ],
    }),
    ...basicExtras(), // §2.2.13 ATX, AT&C/AT&D (saved by AT&W, §2.2.14)
    // §2.2.9 AT&V: the settings the sheet names, in its order (the full A76XX block is not on the sheet).
    "&V": {
      exec: (_a, c) => {
        const s = c.world.settings;
        return ok(`&C:1;&D:0;E:${s.echo ? 1 : 0};S3:13;S4:10;+CMEE:${s.cmee};+CFUN:${s.cfun};+CMGF:${s.cmgf}`);
      },
    },
    "+CGMI": ident(() => [p.manufacturer]), // §2.2.16 bare
    "+CGMM": ident(() => [p.model]), // §2.2.17 bare
    "+CGMR": ident(() => [`+CGMR: ${p.revision}`]), // §2.2.18 with the prefix
    "+CGSN": ident(() => [p.imei]), // §2.2.19 bare; AT+CGSN=1 not documented → ERROR
    "+GCAP": ident(() => ["+GCAP: +CGSM,+FCLASS,+DS"]), // §2.2.21
    // [CAP: AT+SIMCOMATI of a SIM7600G-H]
    "+SIMCOMATI": ident(() => [
      `Manufacturer: ${p.manufacturer}`,
      `Model: ${p.model}`,
      `Revision: ${p.revision}`,
      "QCN: ",
      `IMEI: ${p.imei}`,
      "MEID: ",
      "+GCAP: +CGSM",
      "DeviceInfo: 173,170",
    ]),
    "+CMEE": cmee([0, 1, 2], "+CMEE: (0-2)"), // §3.2.11
    "+CSCS": cscs(["IRA", "GSM", "UCS2"]), // sets and their order: sheet silent
  };
}

function sim(): CommandTable {
  return {
    // §6.2.2; a malformed PIN gets plain ERROR whatever +CMEE says [CAP: T-SIM7600X #77].
    "+CPIN": pinWithReadyUrc((a) => /^"?\d{4,8}"?$/.test(a)),
    // §6.2.1: `+ICCID:` (not +CICCID), unquoted; the EF_ICCID digits as stored (a 19-digit ICCID keeps its F
    // filler: sheet silent, inferred from SIMCom printing a raw hex letter).
    "+CICCID": iccidCommand((v) => `+ICCID: ${efIccid(v).raw}`),
    "+CIMI": cimi(), // §6.2.5 bare IMSI
    "+CRSM": crsm(), // §6.2.6
  };
}

function radio(): CommandTable {
  return {
    "+CSQ": csq(), // §3.2.2, 27.007 rssi mapping
    // §3.2.3 AT+AUTOCSQ=<auto>[,<mode>]: +CSQ URCs when the value changes (the periodic mode 0 is not simulated).
    "+AUTOCSQ": {
      read: (_a, c) => ok(`+AUTOCSQ: ${c.world.settings.vendor.autocsq ?? 0},${c.world.settings.vendor.autocsqMode ?? 0}`),
      write: (a, c) => {
        const [auto, mode = "0"] = args(a);
        if (!["0", "1"].includes(auto ?? "") || !["0", "1"].includes(mode)) return ERROR;
        Object.assign(c.world.settings.vendor, { autocsq: Number(auto), autocsqMode: Number(mode) });
        return OK;
      },
      test: () => ok("+AUTOCSQ: (0-1),(0-1)"),
    },
    "+CPSI": { read: (_a, c) => ok(cpsi(c)), test: () => OK }, // §4.2.9
    "+CNSMOD": CNSMOD.def, // §4.2.11
    // §4.2.7 (+ 48 "any but LTE" on SIM7600, sheet: not in manual); the radio in use is the network's.
    "+CNMP": vendorSetting("+CNMP", "cnmp", [2, 13, 14, 38, 48], "+CNMP: (2,13,14,38,48)"),
    "+CREG": registrationCommand("cs", CREG),
    "+CGREG": registrationCommand("ps", CGREG),
    "+CEREG": registrationCommand("eps", CEREG_READ),
    "+COPS": cops({ actOf: ACT_27007 }), // §4.2.2: AcT 0 GSM, 2 UTRAN, 7 E-UTRAN
    "+CCLK": cclk(), // §3.2.10 "yy/MM/dd,hh:mm:ss±zz"
    "+CTZU": vendorSetting("+CTZU", "ctzu", [0, 1], "+CTZU: (0-1)"), // §4.2.12
    "+CTZR": vendorSetting("+CTZR", "ctzr", [0, 1], "+CTZR: (0-1)"), // §4.2.13
  };
}

function packet(): CommandTable {
  const act = cgact({ defaultCid: 1 });
  return {
    "+CGATT": cgatt(), // §5.2.3
    // §5.2.5: example read `+CGDCONT: 1,"IP",""`; cid range for SIM7600: sheet says 1–24 typical (A76XX 1–15).
    "+CGDCONT": {
      ...cgdcont({ tail: () => "", cids: [1, 24] }),
      test: () => ok(...["IP", "PPP", "IPV6", "IPV4V6"].map((t) => `+CGDCONT: (1-24),"${t}",,,(0-2),(0-1),(0-1),(0-2)`)),
    },
    "+CGACT": {
      ...act,
      // §5.2.4 note: cid 1 is the LTE default bearer, not to be activated/deactivated with +CGACT
      // (error code unverified: 27.007's "operation not allowed" chosen).
      write: (a, c) => (c.world.net.rat === "lte" && args(a).slice(1).includes("1") ? { cme: 3 } : act.write!(a, c)),
    },
    "+CGPADDR": cgpaddr({ quote: true, defaultCid: 1 }), // §5.2.13; quoting: sheet silent, 27.007 string
    // §5.2.16 AT+CGAUTH=<cid>,<type>,<passwd>,<user> (password before user): accepted, not used by the simulation.
    "+CGAUTH": { write: (a) => (/^\d+(,[0-2](,.*)?)?$/.test(a) ? OK : ERROR) },
    // §5.2.15: +CGEV reporting, default 2,0 (events reported).
    "+CGEREP": cgerep("+CGEREP: (0-2),(0-1)"),
    $QCRMCALL: qcrmcall(1), // the RmNet/QMI call (docs/modems/simcom-sim7600.md)
  };
}

function sms(): CommandTable {
  const base = cpms();
  const mems = '("ME","SM")';
  return {
    "+CSMS": { ...csms(), test: () => ok("+CSMS: (0-1)") }, // §9.2.1
    "+CPMS": { ...base, test: () => ok(`+CPMS: ${mems},${mems},${mems}`) }, // §9.2.2 "ME" and "SM"
    "+CMGF": cmgf({ text: true }), // §9.2.3 default 0
    "+CSCA": csca(), // §9.2.4
    // §9.2.9: mt=3 or ds=1 need mode 1; mt=2 needs mode 1 or 2.
    "+CNMI": cnmi({
      test: "+CNMI: (0,1,2),(0,1,2,3),(0,2),(0,1,2),(0,1)",
      accepts: cnmiAccepts((mode, mt, ds) => ((mt === 3 || ds === 1) && mode !== 1 ? false : !(mt === 2 && mode === 0))),
    }),
    "+CNMA": cnma(), // §9.2.8: with +CSMS=1 after +CMT; nothing owed → +CMS ERROR 340
    "+CMGL": cmgl(), // §9.2.11
    "+CMGR": cmgr(), // §9.2.12, indexes from 1
    "+CMGD": cmgd(), // §9.2.16, `AT+CMGD=,4`
    "+CMGS": cmgs({ maxTpdu: 164 }), // §9.2.13; the PDU-mode <length> bound is 27.005's largest SUBMIT TPDU
  };
}

function power(): CommandTable {
  const base = cfun({ funs: [0, 1, 4, 5, 7, 8], reset: true, test: "+CFUN: (0-1,4-8),(0-1)" });
  return {
    // §3.2.1: 6 resets; rst=1 only with fun=1; after 7 (offline) only 6 or a restart bring it online.
    "+CFUN": {
      ...base,
      write: (a, c): Result => {
        const [fun, rst = "0"] = args(a);
        if (fun === "6" && rst === "0") return { reboot: true };
        if (c.world.settings.cfun === 7 && fun === "1" && rst === "0") return { cme: 3 };
        return base.write!(a, c);
      },
    },
    "+CRESET": { exec: () => ({ reboot: true }), test: () => OK }, // §3.2.6
  };
}

/** §4.2.13 +CTZV: <tz> in signed quarter hours, then the local time and DST (not simulated: 0). */
function ctzv(ctx: Ctx): string {
  const q = Math.round((ctx.world.net.nitzTzMinutes ?? 0) / 15);
  return `+CTZV: ${q < 0 ? "-" : "+"}${String(Math.abs(q)).padStart(2, "0")},${clock(ctx, 2).slice(0, 17)},0`;
}

function vendorUrcs(ctx: Ctx, before: Network): string[] {
  const s = ctx.world.settings;
  const out = CNSMOD.urc(ctx, before);
  const csqDef = csq();
  const csqNow = firstLine(csqDef.exec!("", ctx));
  if (s.vendor.autocsq === 1 && onNetwork(ctx, before, () => firstLine(csqDef.exec!("", ctx))) !== csqNow) out.push(csqNow!);
  if (s.vendor.ctzr === 1 && ctx.world.net.nitzTzMinutes !== null && ctx.world.net.nitzTzMinutes !== before.nitzTzMinutes) {
    out.push(ctzv(ctx));
  }
  // §5.2.15 +CGEV (27.007 §10.1.19): a detach by the network, and the default bearer (cid 1) coming up at attach.
  const was = onNetwork(ctx, before, () => attached(ctx));
  if (s.cgerep > 0 && was !== attached(ctx)) out.push(was ? "+CGEV: NW DETACH" : "+CGEV: ME PDN ACT 1");
  return out;
}

export const simcomSim7600: Personality = {
  id: "simcom-sim7600",
  title: "SIMCom SIM7600G-H",
  sources:
    "SIMCom A76XX Series AT Command Manual V1.09 (2023-04-27) for syntax, the SIM7500/SIM7600 manual V1.10 table of contents, " +
    "and real SIM7600G-H output (AT+SIMCOMATI, boot URCs, +CPSI, +CMEE) quoted in docs/modems/simcom-sim7600.md",
  manufacturer: "SIMCOM INCORPORATED",
  model: "SIMCOM_SIM7600G-H",
  revision: "LE20B04SIM7600G22", // [CAP]
  imei: "862636050987658",
  rats: ["lte", "umts", "gsm"],
  defaultRat: "lte",
  timing: { replyMs: 10, bootMs: 2000 }, // real boots take over 10 s [CAP]; kept short for the simulation
  bootBanners: ["RDY", "+CPIN: READY", "SMS DONE", "PB DONE"], // [CAP: LilyGO PR #41, esp-protocols #789]
  defaults: {
    echo: true, // §2.2.9 E:1
    cmee: 2, // [CAP: T-SIM7600X #77], §2.2.9
    cfun: 1,
    cmgf: 0, // §9.2.3
    cnmi: [2, 1, 0, 0, 0], // §9.2.9
    cgerep: 2, // §5.2.15
    pdp: [{ cid: 1, type: "IP", apn: "" }], // §5.2.5 example default
    vendor: { cnmp: 2, cnsmod: 0, autocsq: 0, autocsqMode: 0, ctzu: 0, ctzr: 0, cgerepBfr: 0 },
  },
  junkBeforeAt: "ignore", // sheet silent; V.250 allows it
  resets: ["AT+CRESET", "AT+CFUN=1,1", "AT+CFUN=6"], // §3.2.6, §3.2.1
  prompt: "> ", // §9.2.13 (the space: SIMCom usage, sheet)
  sms: {
    memories: { ME: 180, SM: 50 }, // §9.2.2 capacities ("MT" [FIX] left out: the store cannot make it ME+SM)
    firstIndex: 1, // §9.2.12 "Indexes start at 1"
    defaultMemory: "SM", // A76XX AT&V (SIM7600 default: sheet silent)
    cmtHeader: (len) => `+CMT: "",${len}`, // empty alpha printed as "" (sheet: inferred)
    ack: "csms1", // §9.2.8
    ackTimeoutMs: 15_000, // "the network timeout" (sheet silent on its length)
    ackTimeoutUrcs: [], // nothing printed (sheet silent); routing turns off as 27.005 §3.4.1 says
    unexpectedAck: { cms: 340 }, // §9.2.8
  },
  networkChanged: (ctx, before) => [
    ...registrationUrcs(ctx, before, { cs: CREG, ps: CGREG, eps: CEREG_URC }),
    ...vendorUrcs(ctx, before),
  ],
  commands: (ctx) => ({ ...identity(ctx), ...sim(), ...radio(), ...packet(), ...sms(), ...power() }),
};
