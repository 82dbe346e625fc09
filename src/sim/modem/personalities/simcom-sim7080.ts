import { attached, cclk, cfun, cgact, cgatt, cgdcont, cgpaddr, cops, inService } from "../at-handlers/network.js";
import {
  ACT_27007,
  registrationCommand,
  registrationUrcs,
  type Domain,
  type RegistrationFormat,
  onNetwork,
} from "../at-handlers/registration.js";
import { cmgd, cmgf, cmgl, cmgr, cmgs, cnmi, cpms, csca, csms } from "../at-handlers/sms.js";
import {
  args,
  ERROR,
  hex,
  ok,
  OK,
  radioOn,
  type CommandDef,
  type CommandTable,
  type Ctx,
  type Result,
} from "../at-handlers/types.js";
import { cimi, cmee, crsm, cscs, efIccid, iccidCommand, ident, v250 } from "../at-handlers/v250.js";
import { NO_ACK_TIMEOUT, type Personality } from "../personality.js";
import type { Network } from "../state.js";
import { basicExtras, cnmiAccepts, cnsmod, operationMode, pinWithReadyUrc, vendorSetting } from "./simcom-sim7600.js";

// SIMCom SIM7080G (LTE Cat-M1 / NB-IoT), written from the fact sheet docs/modems/simcom-sim7080.md.
// "§x" is a section of the SIM7000 Series AT Command Manual V1.06 (the nearest stored SIMCom LPWA
// manual; the SIM7070/SIM7080/SIM7090 manual is unreadable). [LOG80] real SIM7080 session log,
// [FRT] FreeRTOS SIMCom driver comment with real lines, [FIX80] a SIM7080G reply table used as a test
// fixture; "sheet silent" marks a choice made here.

/** §20.1 / §20.2 words (spacing reconstructed on the sheet); codes not listed fall back to 27.007's. */
const CME: Readonly<Record<number, string>> = {
  0: "phone failure",
  3: "operation not allowed",
  4: "operation not supported",
  10: "SIM not inserted",
  11: "SIM PIN required",
  12: "SIM PUK required",
  13: "SIM failure",
  14: "SIM busy",
  15: "SIM wrong",
  16: "incorrect password",
  17: "SIM PIN2 required",
  18: "SIM PUK2 required",
  20: "memory full",
  21: "invalid index",
  22: "not found",
  30: "no network service",
  31: "network timeout",
  100: "unknown",
  601: "Unrecognized Command",
  603: "Syntax Error",
  604: "Unspecified Error",
  767: "Operation failed",
  797: "CFUN state is 0 or 4",
};
const CMS: Readonly<Record<number, string>> = {
  302: "operation not allowed",
  303: "operation not supported",
  304: "invalid PDU mode",
  305: "invalid text mode",
  310: "SIM not inserted",
  311: "SIM pin necessary",
  313: "SIM failure",
  314: "SIM busy",
  316: "SIM PUK required",
  320: "memory failure",
  321: "invalid memory index",
  322: "memory full",
  330: "SMSC address unknown",
  331: "no network",
  332: "network timeout",
  340: "no cnma ack",
  500: "Unknown",
};

/** §3.2.16: SIMCom's +CSQ table, offset from 27.007: 0 ≤ −115 dBm, 1 = −111, 2…30 = −110…−54, 31 ≥ −52. */
export function csqIndex7080(dbm: number | null): number {
  if (dbm === null) return 99;
  if (dbm <= -115) return 0;
  if (dbm < -110) return 1;
  if (dbm >= -52) return 31;
  return Math.min(30, 2 + Math.floor((dbm + 110) / 2));
}

/** §5.2.6 <stat>: 0 no service, 7 LTE M1, 9 LTE NB. */
const systemMode = (ctx: Ctx): number => (inService(ctx) ? (ctx.world.net.rat === "nb-iot" ? 9 : 7) : 0);
const CNSMOD = cnsmod(systemMode);
const CNMP_TEST = "+CNMP: ((2-Automatic),(13-GSM Only),(38-LTE Only),(51-GSM And LTE Only))";

/** §5.2.21 +CPSI? [FRT lines]: `LTE CAT-M1`/`LTE NB-IOT`, TAC `0x` + 4 upper-case hex, levels unscaled, RSSNR = (SINR+20)/2. */
function cpsi(ctx: Ctx): string {
  const n = ctx.world.net;
  const mode = operationMode(ctx.world.settings.cfun);
  if (!inService(ctx)) return `+CPSI: NO SERVICE,${mode}`;
  const nb = n.rat === "nb-iot";
  const rssnr = n.sinrDb === null ? 0 : Math.round((n.sinrDb + 20) / 2);
  // dlbw/ulbw as in the real lines (3,3 Cat-M, 0,0 NB-IoT); an unknown level prints 0 (sheet silent).
  const levels = `${nb ? "0,0" : "3,3"},${n.rsrqDb ?? 0},${n.rsrpDbm ?? 0},${n.rssiDbm ?? 0},${rssnr}`;
  const cell = `${n.mcc}-${n.mnc},0x${hex(n.tac)},${n.ci},${n.pci},EUTRAN-BAND${n.band},${n.earfcn}`;
  return `+CPSI: ${nb ? "LTE NB-IOT" : "LTE CAT-M1"},${mode},${cell},${levels}`;
}

// §3.2.14, §6.2.5, §6.2.7: <netact> after the cell id, 7 Cat-M, 9 NB-IoT; tac/ci quoted hex (padding to
// the 2-/4-byte sizes of 27.007: sheet silent).
const loc = { quote: true, areaWidth: 4, ciWidth: 8, act: true, actOf: ACT_27007 } as const;
const CREG: RegistrationFormat = { maxN: 2, ...loc };
const CGREG: RegistrationFormat = { maxN: 4, ...loc };
const CEREG: RegistrationFormat = { maxN: 4, ...loc };

/**
 * +CGREG n=4 adds the GERAN/UTRAN timers (Periodic-RAU, GPRS READY), which an LTE-only module does
 * not have: its lines read as with n=2 (sheet silent; chosen here).
 */
function asN2<T>(ctx: Ctx, f: () => T): T {
  const s = ctx.world.settings;
  const n = s.cgregN;
  if (n === 4) s.cgregN = 2;
  try {
    return f();
  } finally {
    s.cgregN = n;
  }
}

/** +CGREG/+CEREG take n 0,1,2,4 (no 3, §6.2.5, §6.2.7); the test form's wording: sheet silent. */
function regNo3(d: Domain, fmt: RegistrationFormat): CommandDef {
  const base = registrationCommand(d, fmt);
  const prefix = d === "ps" ? "+CGREG" : "+CEREG";
  return {
    ...base,
    read: (a, c) => {
      const n = c.world.settings.cgregN;
      const r = asN2(c, () => base.read!(a, c));
      return d === "ps" && "ok" in r ? ok(...r.ok.map((l) => l.replace(/^\+CGREG: 2,/, `+CGREG: ${n},`))) : r;
    },
    write: (a, c) => (a === "3" ? ERROR : base.write!(a, c)),
    test: () => ok(`${prefix}: (0,1,2,4)`),
  };
}

function identity(ctx: Ctx): CommandTable {
  const p = ctx.p;
  const rev = `Revision:${p.revision}`; // §2.2.27 no space after the colon [LOG80]
  return {
    // §2.2.5 ATI: the SIM7000 prints `SIM7000R1351` for 1351B01SIM7000; the SIM7080 text by analogy (sheet: unknown).
    // ATZ, AT&F, AT&V were deleted in V1.02, AT&W does not exist: ERROR.
    ...v250({ echo: true, verbose: true, quiet: true, ati: () => [`SIM7080R${p.revision.slice(0, 4)}`] }),
    ...basicExtras(), // §2.2.20 ATX, §2.2.21–22 AT&C/AT&D
    "+CGMI": ident(() => [p.manufacturer]), // §2.2.25, value [FIX80]
    "+GMI": ident(() => [p.manufacturer]), // §3.2.1
    "+CGMM": ident(() => [p.model]), // §2.2.26
    "+GMM": ident(() => [p.model]), // §3.2.2
    "+CGMR": ident(() => [rev]),
    "+GMR": ident(() => [rev]), // §3.2.3
    "+CGSN": ident(() => [p.imei]), // §2.2.29 bare; AT+CGSN=1 undocumented → ERROR
    "+GSN": ident(() => [p.imei]), // §3.2.4
    "+GSV": ident(() => [p.manufacturer, p.model, rev]), // §5.2.10 three lines
    "+CMEE": cmee([0, 1, 2], "+CMEE: (0-2)"), // §3.2.8
    "+CSCS": cscs(["IRA", "GSM", "UCS2"]), // §1.5 default IRA; the other sets: sheet silent
    "+CPIN": pinWithReadyUrc((a) => a !== ""), // §3.2.11; +CPIN URCs "always" (§20.3)
    "+CCID": iccidCommand((v) => efIccid(v).raw), // §5.2.8 bare, the raw EF_ICCID digits (F kept)
    "+CIMI": cimi(), // §3.2.6
    "+CRSM": crsm(), // §3.2.15
  };
}

function radio(): CommandTable {
  return {
    // §3.2.16 with SIMCom's dBm table.
    "+CSQ": {
      exec: (_a, c) => ok(radioOn(c) && inService(c) ? `+CSQ: ${csqIndex7080(c.world.net.rssiDbm)},99` : "+CSQ: 99,99"),
      test: () => ok("+CSQ: (0-31,99),(0-7,99)"),
    },
    "+CPSI": { read: (_a, c) => ok(cpsi(c)), test: () => OK },
    "+CNSMOD": CNSMOD.def, // §5.2.6
    // §5.2.17 (test reply: SIM7080 at-script); default differs per variant: 2 chosen.
    "+CNMP": vendorSetting("+CNMP", "cnmp", [2, 13, 38, 51], CNMP_TEST),
    // §5.2.18 (test reply: same script); default: sheet silent, 3 chosen.
    "+CMNB": vendorSetting("+CMNB", "cmnb", [1, 2, 3], "+CMNB: ((1-Cat-M),(2-NB-IoT),(3-Cat-M And NB-IoT))"),
    "+CREG": registrationCommand("cs", CREG),
    "+CGREG": regNo3("ps", CGREG),
    "+CEREG": regNo3("eps", CEREG),
    "+COPS": cops({ actOf: ACT_27007 }), // §3.2.9: 7 Cat-M, 9 NB-IoT
    "+CCLK": cclk(), // §3.2.20
    "+CLTS": vendorSetting("+CLTS", "clts", [0, 1], "+CLTS: (0,1)"), // §5.2.4
  };
}

/** The app network contexts 0–3 of AT+CNACT (SIM7080 syntax [LOG80, TINY]): up while set and attached. */
const appActive = (ctx: Ctx, i: number) => ctx.world.settings.vendor[`cnact${i}`] === 1 && attached(ctx);

function cnact(): CommandDef {
  return {
    read: (_a, c) =>
      ok(...[0, 1, 2, 3].map((i) => (appActive(c, i) ? `+CNACT: ${i},1,"${c.world.net.ip}"` : `+CNACT: ${i},0,"0.0.0.0"`))),
    write: (a, c): Result => {
      const [idx, action] = args(a);
      if (!/^[0-3]$/.test(idx ?? "") || !/^[01]$/.test(action ?? "")) return ERROR;
      const i = Number(idx);
      const up = action === "1";
      // Activating without an attach, or asking for the state it is already in: ERROR (sheet silent).
      if (up === appActive(c, i) || (up && !attached(c))) return ERROR;
      c.world.settings.vendor[`cnact${i}`] = up ? 1 : 0;
      c.urc(`+APP PDP: ${i},${up ? "ACTIVE" : "DEACTIVE"}`); // after the OK
      return OK;
    },
  };
}

function packet(): CommandTable {
  const types = ["IP", "IPV6", "IPV4V6", "Non-IP"];
  return {
    "+CGATT": cgatt(), // §6.2.1
    // §6.2.2: cid 1–24; read `<cid>,<type>,<APN>,<PDP_addr>,<d_comp>,<h_comp>,<ipv4_ctrl>,<emergency_flag>`; default APN
    // empty; default contexts and the test ranges: sheet silent.
    "+CGDCONT": {
      ...cgdcont({ tail: () => ',"0.0.0.0",0,0,0,0', cids: [1, 24] }),
      test: () => ok(...types.map((t) => `+CGDCONT: (1-24),"${t}",,,(0-2),(0-4),(0-1),(0-1)`)),
    },
    "+CGACT": cgact({ defaultCid: 1 }), // §6.2.3
    "+CGPADDR": cgpaddr({ quote: false, defaultCid: 1 }), // §6.2.4; unquoted as in a SIM7080 dump (unverified)
    // AT+CNCFG=<pdpidx>,<ip_type>[,<APN>…]: accepted (SIM7080 syntax [LOG80]); the APN is the network's here.
    "+CNCFG": { write: (a) => (/^[0-3],[0-3](,.*)?$/.test(a) ? OK : ERROR) },
    "+CNACT": cnact(),
  };
}

/** AT+CMGR/AT+CMGL take a trailing <mode>: 1 leaves the status unchanged (§4.2.3, §4.2.4). */
function keepStatus(def: CommandDef): CommandDef {
  return {
    ...def,
    write: (a, c) => {
      const [, head = "", mode] = /^(.*?)(?:,([01]))?$/.exec(a) ?? [];
      const before = c.store.list(c.mems[0], 4).map(([, m]) => [m, m.stat] as const);
      const r = def.write!(head, c);
      if (mode === "1") for (const [m, stat] of before) m.stat = stat;
      return r;
    },
  };
}

function sms(): CommandTable {
  return {
    "+CSMS": csms(), // §4.2.15
    "+CPMS": cpms(), // §4.2.9 "SM" only
    "+CMGF": cmgf({ text: true }),
    "+CSCA": csca(), // §4.2.12
    // §4.2.8: mt=2, mt=3 or ds=1 need mode=1, else ERROR; the test reply's form: sheet silent.
    "+CNMI": cnmi({
      test: "+CNMI: (0-2),(0-3),(0,2),(0-2),(0,1)",
      accepts: cnmiAccepts((mode, mt, ds) => !((mt === 2 || mt === 3 || ds === 1) && mode !== 1)),
    }),
    // No +CNMA (not in the §4.1 command list): the module acknowledges a +CMT by itself.
    "+CMGL": keepStatus(cmgl()),
    "+CMGR": keepStatus(cmgr()),
    "+CMGD": cmgd(), // §4.2.1
    "+CMGS": cmgs({ maxTpdu: 160 }), // §4.2.5 "length ≤ 160"
  };
}

function power(): CommandTable {
  // §3.2.19: 6 resets, rst=1 resets first; the test reply's form: sheet silent.
  const base = cfun({ funs: [0, 1, 4, 5, 7], reset: true, test: "+CFUN: (0,1,4-7),(0,1)" });
  return {
    "+CFUN": {
      ...base,
      write: (a, c): Result => {
        const [fun, rst = "0"] = args(a);
        return fun === "6" && rst === "0" ? { reboot: true } : base.write!(a, c);
      },
    },
    "+CREBOOT": { exec: () => ({ reboot: true }) }, // [not in manual: SIM7080 users' notes]
  };
}

/** §5.2.4 with AT+CLTS=1: network time URCs (*PSNWID's fields are not on the sheet: not printed). */
function nitzUrcs(ctx: Ctx, before: Network): string[] {
  const tz = ctx.world.net.nitzTzMinutes;
  if (ctx.world.settings.vendor.clts !== 1 || tz === null || tz === before.nitzTzMinutes) return [];
  const q = Math.round(tz / 15);
  const zone = `${q < 0 ? "-" : "+"}${String(Math.abs(q)).padStart(2, "0")}`;
  const d = new Date(ctx.now()); // universal time; 4-digit year, no padding: sheet silent
  const utc = [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds()];
  return [`*PSUTTZ: ${utc.join(",")},"${zone}",0`, `+CTZV: "${zone}"`, "DST: 0"];
}

function networkChanged(ctx: Ctx, before: Network): string[] {
  const out = asN2(ctx, () => registrationUrcs(ctx, before, { cs: CREG, ps: CGREG, eps: CEREG }));
  out.push(...CNSMOD.urc(ctx, before), ...nitzUrcs(ctx, before));
  // The app network goes down with the attach [LOG80/TINY form `+APP PDP: <idx>,DEACTIVE`].
  for (const i of [0, 1, 2, 3]) {
    if (onNetwork(ctx, before, () => appActive(ctx, i)) && !appActive(ctx, i)) {
      ctx.world.settings.vendor[`cnact${i}`] = 0;
      out.push(`+APP PDP: ${i},DEACTIVE`);
    }
  }
  return out;
}

export const simcomSim7080: Personality = {
  id: "simcom-sim7080",
  title: "SIMCom SIM7080G",
  sources:
    "SIMCom SIM7000 Series AT Command Manual V1.06 (2020-07-28), the nearest stored manual of the SIM7070/SIM7080/SIM7090 " +
    "family, with real SIM7080 output (session log, FreeRTOS driver, TinyGSM, at-scripts) quoted in docs/modems/simcom-sim7080.md",
  manufacturer: "SIMCOM INCORPORATED", // [FIX80]
  model: "SIMCOM_SIM7080G", // [FIX80]
  revision: "1951B16SIM7080", // [LOG80]
  imei: "869011052135792",
  rats: ["lte-m", "nb-iot"], // no GSM on the SIM7080G
  defaultRat: "lte-m",
  timing: { replyMs: 10, bootMs: 2000 }, // sheet: unknown
  bootBanners: ["RDY", "+CFUN: 1", "+CPIN: READY", "SMS Ready"], // [LOG80]
  defaults: {
    echo: true, // [LOG80]
    cmee: 1, // [FIX80]; the manual gives no default
    cnmi: [2, 1, 0, 0, 0], // [FIX80]
    cgerep: 0, // no +CGEREP/+CGEV on this module
    pdp: [{ cid: 1, type: "IP", apn: "" }], // §6.2.2 default APN NULL
    vendor: { cnmp: 2, cmnb: 3, cnsmod: 0, clts: 0 },
  },
  junkBeforeAt: "ignore", // sheet silent; V.250 allows it
  resets: ["AT+CFUN=1,1", "AT+CFUN=6", "AT+CREBOOT"],
  prompt: "> ", // sheet: not in manual, SIMCom prints "> "
  errorText: (kind, code) => (kind === "cme" ? CME : CMS)[code],
  sms: {
    memories: { SM: 50 }, // §4.2.9 "SM" only; 50 [FIX80]
    firstIndex: 1, // SIM records count from 1 (sheet silent on the SIM7080's index base)
    defaultMemory: "SM",
    cmtHeader: (len) => `+CMT: ,${len}`, // `+CMT: [<alpha>],<length>` (§4.2.8): an empty alpha prints nothing (27.005)
    ack: "never", // no +CNMA
    ackTimeoutMs: NO_ACK_TIMEOUT,
    ackTimeoutUrcs: [],
    unexpectedAck: { cms: 340 }, // unused: there is no +CNMA to send
  },
  networkChanged,
  commands: (ctx) => ({ ...identity(ctx), ...radio(), ...packet(), ...sms(), ...power() }),
};
