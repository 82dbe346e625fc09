import { cclk, cesq, cfun, cgact, cgatt, cgdcont, cgpaddr, cops, csq, inService, onLte } from "../at-handlers/network.js";
import {
  ACT_27007,
  registrationCommand,
  registrationUrcs,
  type Domain,
  type RegistrationFormat,
} from "../at-handlers/registration.js";
import { cmgd, cmgf, cmgl, cmgr, cmgs, cnma, cnmi, cpms, csca, csms } from "../at-handlers/sms.js";
import { args, ERROR, ok, OK, type CommandDef, type CommandTable, type Ctx, type Result } from "../at-handlers/types.js";
import { cimi, cmee, cpin, crsm, cscs, iccidCommand, ident, v250 } from "../at-handlers/v250.js";
import type { Personality } from "../personality.js";
import { defaultSettings, type SimRat } from "../state.js";

// u-blox SARA-R410M-02B, written from its fact sheet: the SARA-R4 series AT commands manual
// UBX-17003787 (R09/R11/R16; "§x (Rnn)" below) and a real -02B log (Particle AN004, "[AN004]").

/** What differs between the manual's description and the first -02B firmware (L0.0.00.00.05.06). */
export interface SaraR410mOptions {
  /** <AcT> of LTE Cat M1 in +CEREG/+CREG/+CGREG/+COPS: 7 per manual R16 §7.7/§13.13; 8 on L0.0.00.00.05.06 [AN004]. */
  catM1Act?: 7 | 8;
  /** Highest +CEREG <n>: 4 on -02B (§13.13 R16), 3 on the first firmware -02B-00 (§13.13.3). */
  ceregMaxN?: 3 | 4;
  /** +CEREG <tac>/<ci>: `manual` lower-case zero-padded (§13.13 examples), `upper-unpadded` as 05.06 prints [AN004]. */
  ceregHex?: "manual" | "upper-unpadded";
  /** +CGMR text. The sheet knows only the first firmware's string. */
  revision?: string;
  id?: string;
  title?: string;
}

const FIRST_FIRMWARE = "L0.0.00.00.05.06 [Feb 03 2018 13:00:41]"; // [AN004]

/** The first -02B firmware (-02B-00, L0.0.00.00.05.06, R09 products table) as the Particle log shows it. */
export const SARA_R410M_02B_00: SaraR410mOptions = {
  catM1Act: 8,
  ceregMaxN: 3,
  ceregHex: "upper-unpadded",
  id: "ublox-sara-r410m-02b-00",
  title: "u-blox SARA-R410M-02B-00 (first firmware L0.0.00.00.05.06)",
};

const SOURCES =
  "u-blox SARA-R4 series AT commands manual UBX-17003787 R09 (15-Jun-2018), R11, R16 (11-Jun-2020), selected pages; " +
  "Particle AN004 cloud-debug log of a SARA-R410M-02B (L0.0.00.00.05.06); ubxlib cell/src/u_cell_private.c; " +
  "Particle device-os sara_ncp_client; Arduino MKRNB; Zephyr ublox-sara-r4 driver; 3GPP TS 27.007 / 27.005 where the sheet is silent";

type Nvm = { usimstat: number; urat: string };

function formats(o: Required<Pick<SaraR410mOptions, "catM1Act" | "ceregMaxN" | "ceregHex">>): Record<Domain, RegistrationFormat> {
  // AcT: 7 (or 8) E-UTRAN Cat M1, 9 E-UTRAN Cat NB1 (§7.7 R16 p.51, §13.13 R16 p.151).
  const actOf = (rat: SimRat) => (rat === "lte-m" ? o.catM1Act : rat === "nb-iot" ? 9 : ACT_27007(rat));
  const manual = o.ceregHex === "manual";
  return {
    // §7.7 (R16 p.50–51): n 0–3 (3 = reject cause) per the text; the test example shows (0-2) — the text is followed.
    // lac/ci upper-case quoted, as the URC example "4E54","44A5"; AcTStatus after ci.
    cs: { maxN: 3, quote: true, areaWidth: 4, ciWidth: 4, act: true, actOf },
    // §13.10 (R09 p.136): n 0–2, `+CGREG: 2,1,"61EF","7D58A3",2,"14"` (<rac> is a 2G/3G field, absent on LTE).
    ps: { maxN: 2, quote: true, areaWidth: 4, ciWidth: 4, act: true, actOf },
    // §13.13 (R16 p.151): `"3a9b","0000c33d",7` lower-case padded; [AN004] `"D0B","C45C010",8`.
    eps: {
      maxN: o.ceregMaxN,
      quote: true,
      areaWidth: manual ? 4 : 0,
      ciWidth: manual ? 8 : 0,
      lowerHex: manual,
      act: true,
      actOf,
    },
  };
}

/** ATZ / AT&F restore the command configuration (§9.7.4 R11 p.72: +CNMI must be re-issued after Z and &F). */
function restoreProfile(a: string, ctx: Ctx): Result {
  if (a !== "" && a !== "0") return ERROR;
  const keep = ctx.world.settings;
  // PDP contexts and NVM settings are not part of the profile; the radio state is not touched.
  ctx.world.settings = { ...defaultSettings(ctx.p.defaults), cfun: keep.cfun, pdp: keep.pdp, vendor: keep.vendor };
  return OK;
}

function setVendor(ctx: Ctx, key: string, value: string): Result {
  ctx.world.settings.vendor[key] = Number(value);
  return OK;
}

function identity(ctx: Ctx): CommandTable {
  const p = ctx.p;
  return {
    // §10 (chapter not read): E (§10.20 R09 p.107), V1 (§1.1.6), Q; A/ is not simulated (no AT prefix).
    ...v250({ echo: true, verbose: true, quiet: true, ati: () => [p.model] }), // ATI/ATI0: ordering code [AN004]
    Z: { exec: restoreProfile },
    "&F": { exec: restoreProfile },
    // [not established: the answer of AT&W on R410M-02B, which has no stored profiles per ubxlib] — the command is
    // in the manual's chapter 10, so it answers OK.
    "&W": { exec: (a) => (a === "" || a === "0" ? OK : ERROR) },
    "+CGMI": ident(() => [p.manufacturer]), // §4.1, bare text [AN004]
    "+GMI": ident(() => [p.manufacturer]), // §4.2
    "+CGMM": ident(() => [p.model]), // §4.3 [AN004]
    "+GMM": ident(() => [p.model]), // §4.4
    "+CGMR": ident(() => [p.revision]), // §4.5 [AN004]
    "+GMR": ident(() => [p.revision]), // §4.6
    // §4.7 (R16 p.25): bare IMEI; §4.7.4: SARA-R4 does not support <snt>, so AT+CGSN=<snt> is an ERROR.
    "+CGSN": ident(() => [p.imei]),
    "+GSN": ident(() => [p.imei]), // §4.8
    "+CIMI": cimi(), // §4.11, bare IMSI (27.007)
    "+CCID": iccidCommand((v) => `+CCID: ${v}`), // §4.12: `+CCID: <ICCID>`, unquoted, digits as stored
    // Chapter 5: 0/1/2 [factory value not read: 0 chosen]; test form per 27.007.
    "+CMEE": cmee([0, 1, 2], "+CMEE: (0-2)"),
    // [not in sheet: +CSCS; 27.007 §5.5 with its three common sets]
    "+CSCS": cscs(["IRA", "GSM", "UCS2"]),
    "+CPIN": cpin(), // 27.007 §8.3 (page not read)
    "+CRSM": crsm(), // §11.2 (R16 p.120)
  };
}

function network(fmts: Record<Domain, RegistrationFormat>): CommandTable {
  const base = cfun({ funs: [0, 1, 4], reset: true, test: "+CFUN: (0,1,4,15),(0-1)" });
  return {
    "+CSQ": csq(), // §7.2: measured on LTE, <qual> 99 [AN004 `+CSQ: 19,99`]
    "+CESQ": cesq(), // §7.3 (page not read: 27.007 §8.69)
    "+CREG": registrationCommand("cs", fmts.cs),
    "+CGREG": registrationCommand("ps", fmts.ps),
    "+CEREG": registrationCommand("eps", fmts.eps),
    "+COPS": cops({ actOf: fmts.eps.actOf }), // §7.4: `+COPS: 0,2,"310410",8` after AT+COPS=3,2 [AN004]
    "+CGATT": cgatt(), // 27.007 §10.1.9 (page not read)
    // Default EPS bearer on cid 1 [AN004]; [not read: the read form's tail and the cid range: 27.007 §10.1.1, 1–8 chosen]
    "+CGDCONT": cgdcont({ tail: () => ',"0.0.0.0",0,0', cids: [1, 8] }),
    "+CGPADDR": cgpaddr({ quote: false, defaultCid: 1 }), // `+CGPADDR: 1,10.206.40.209`, unquoted [AN004]
    "+CGACT": cgact({ defaultCid: 1 }), // 27.007 §10.1.10 (page not read)
    "+CCLK": cclk(), // 27.007 §8.15 (page not read)
    // +CFUN page not read: 27.007 funs 0/1/4 and <rst>; AT+CFUN=15 is the silent reset of MT and SIM that
    // R410M drivers use [not in manual: Particle device-os, Sodaq_R4X, Arduino MKRNB]; 16 (SARA-U201's) is refused.
    "+CFUN": { ...base, write: (a, c) => (args(a)[0] === "15" ? { reboot: true } : base.write!(a, c)) },
  };
}

const CNMI_MAX = [2, 3, 3, 2, 1]; // §9.7 test `+CNMI: (0-2),(0-3),(0-3),(0-2),(0-1)`; <mode>=3 refused (§9.7.4)

function sms(): CommandTable {
  return {
    "+CSMS": csms(), // §9.2 (page not read: 27.005 §3.2.1)
    "+CPMS": cpms(), // §9.3 (page not read)
    "+CMGF": cmgf({ text: true }), // §9.4: text-mode forms are documented (§9.7, §9.8)
    "+CSCA": csca(), // §9.16 (page not read)
    "+CNMI": cnmi({
      test: "+CNMI: (0-2),(0-3),(0-3),(0-2),(0-1)",
      accepts: (v) => v.length <= 5 && v.every((x, i) => x >= 0 && x <= CNMI_MAX[i]!),
    }),
    "+CNMA": cnma(), // §9.9 (page not read: 27.005 §3.4.4)
    "+CMGL": cmgl(), // §9.10
    "+CMGR": cmgr(), // §9.8 (R11 p.73): `+CMGR: <stat>,,<length>` — <alpha> always empty; test answers OK
    "+CMGD": cmgd(), // §9.15
    "+CMGS": cmgs({ maxTpdu: 164 }), // §9.11 (page not read): 27.005 "> " prompt
    // §9.21: +CMMS 0 (default), 1, 2; test `+CMMS: (0-2)`.
    "+CMMS": {
      read: (_a, c) => ok(`+CMMS: ${c.world.settings.vendor.cmms ?? 0}`),
      test: () => ok("+CMMS: (0-2)"),
      write: (a, c) => (/^[0-2]$/.test(a) ? setVendor(c, "cmms", a) : ERROR),
    },
  };
}

/** `"-075.00"`: sign, `digits` integer digits, two decimals ([not in manual: Particle's parser of +UCGED mode 5]). */
function ucgedValue(v: number, digits: number): string {
  const [int, dec] = Math.abs(v).toFixed(2).split(".");
  return `"${v < 0 ? "-" : ""}${int!.padStart(digits, "0")}.${dec}"`;
}

/** §7.8 (R11) +UCGED mode 5: RSRP/RSRQ of the serving cell, each line with a trailing comma. */
function ucged(): CommandDef {
  return {
    // [not established: modes other than 5 on R410M; 0 (off) is accepted, 2 (GERAN, R412M) refused]
    write: (a, c) => (a === "0" || a === "5" ? setVendor(c, "ucged", a) : ERROR),
    read: (_a, c) => {
      // [not established: the read outside mode 5 — chosen: +CME ERROR 3]
      if (c.world.settings.vendor.ucged !== 5) return { cme: 3 };
      const n = c.world.net;
      // [not established: what it prints with no LTE cell or no measurement — chosen: no lines]
      if (!inService(c) || !onLte(n) || n.rsrpDbm === null || n.rsrqDb === null) return OK;
      return ok(
        // The sheet's examples: RSRP with 3 integer digits ("-075.00"), RSRQ with 2 ("-14.20").
        `+RSRP: ${n.pci},${n.earfcn},${ucgedValue(n.rsrpDbm, 3)},`,
        `+RSRQ: ${n.pci},${n.earfcn},${ucgedValue(n.rsrqDb, 2)},`,
      );
    },
  };
}

function vendor(nvm: Nvm): CommandTable {
  return {
    "+UCGED": ucged(),
    // §11.3 (R09 p.113–114): bitmask 0–7, factory 0, saved in NVM (kept across a reset).
    // [framework: +UUSIMSTAT cannot be raised — there is no SIM-change or boot hook for a personality]
    "+USIMSTAT": {
      read: () => ok(`+USIMSTAT: ${nvm.usimstat}`),
      test: () => ok("+USIMSTAT: (0-7)"),
      write: (a) => {
        if (!/^[0-7]$/.test(a)) return ERROR;
        nvm.usimstat = Number(a);
        return OK;
      },
    },
    // §7.5: 7 = Cat M1, 8 = NB-IoT, stored and applied after AT+CFUN=15 [not in manual page read: Arduino MKRNB].
    // [not established: the read form — `+URAT: <AcT>[,<AcT>]` chosen, as other u-blox read forms; no test form]
    "+URAT": {
      read: () => ok(`+URAT: ${nvm.urat}`),
      write: (a) => {
        const acts = args(a);
        if (acts.length > 2 || acts.some((x) => x !== "7" && x !== "8") || new Set(acts).size !== acts.length) return ERROR;
        nvm.urat = acts.join(",");
        return OK;
      },
    },
  };
}

/** A SARA-R410M-02B; `o` selects the first firmware's differences (see SARA_R410M_02B_00). */
export function saraR410m(o: SaraR410mOptions = {}): Personality {
  const fmts = formats({ catM1Act: o.catM1Act ?? 7, ceregMaxN: o.ceregMaxN ?? 4, ceregHex: o.ceregHex ?? "manual" });
  return {
    id: o.id ?? "ublox-sara-r410m",
    title: o.title ?? "u-blox SARA-R410M-02B",
    sources: SOURCES,
    manufacturer: "u-blox", // [AN004]
    model: "SARA-R410M-02B", // [AN004]
    // [the sheet has no later firmware string: the default personality (manual R16 behaviour) prints the first one]
    revision: o.revision ?? FIRST_FIRMWARE,
    imei: "352753090000009", // [AN004] example 352753090000000 with its Luhn check digit
    rats: ["lte-m", "nb-iot"], // LTE Cat M1 and NB1, no 2G (products table, +UBANDMASK notes)
    defaultRat: "lte-m",
    // Boot takes ~6 s [not in manual: ubxlib]; shortened to the simulator's bound.
    timing: { replyMs: 10, bootMs: 2000 },
    bootBanners: [], // none documented: drivers poll with AT until OK (§5 of the sheet)
    defaults: {
      echo: true, // §10.20 (R09 p.107): ATE1 is the default and factory value
      cmee: 0, // [factory value not read: 0 chosen]
      // §9.7 (R11 p.70): <mode> 1 is the factory-programmed value; the other fields as the read example `0,0,0,0,0`.
      cnmi: [1, 0, 0, 0, 0],
      cregN: 0, // §7.7 factory 0
      cgregN: 0, // §13.10 factory 0
      ceregN: 0, // §13.13 default 0
      vendor: { ucged: 0, cmms: 0 },
    },
    junkBeforeAt: "ignore", // [not in sheet: V.250 lets the DCE skip what precedes AT]
    resets: ["AT+CFUN=15", "AT+CFUN=1,1"],
    prompt: "> ", // [not read: 27.005 §3.5.1 prompt]
    // Verbose words are 27.007's; the one seen on the module is capitalised [AN004 `+CME ERROR: Operation not allowed`].
    errorText: (kind, code) => (kind === "cme" && code === 3 ? "Operation not allowed" : undefined),
    sms: {
      // Storage exists, "SM" in the examples (§9.7, §9.8); [capacities not read: 30 chosen; ME/MT not modelled]
      memories: { SM: 30 },
      defaultMemory: "SM",
      cmtHeader: (len) => `+CMT: ,${len}`, // §9.7 PDU mode: empty <alpha>
      ack: "csms1", // [not read: 27.005 §3.4.4, +CNMA owed only with +CSMS=1]
      ackTimeoutMs: 15_000, // [not read: within TS 24.011 TR2M, 12–20 s]
      ackTimeoutUrcs: [], // none documented
      unexpectedAck: { cms: 340 }, // 27.005 §3.4.4
    },
    networkChanged: (ctx, before) => registrationUrcs(ctx, before, fmts),
    commands: (ctx) => {
      const nvm: Nvm = { usimstat: 0, urat: "7" }; // lives as long as the module: NVM survives AT+CFUN=15
      return { ...identity(ctx), ...network(fmts), ...sms(), ...vendor(nvm) };
    },
  };
}

/** SARA-R410M-02B as manual R16 describes it (Cat M1 <AcT> 7, +CEREG n 0–4, lower-case padded hex). */
export const ubloxSaraR410m: Personality = saraR410m();

/** The first -02B firmware: Cat M1 <AcT> 8, +CEREG n 0–3, upper-case unpadded hex [AN004]. */
export const ubloxSaraR410m02b00: Personality = saraR410m(SARA_R410M_02B_00);
