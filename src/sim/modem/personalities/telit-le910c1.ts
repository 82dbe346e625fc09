import {
  cclk,
  cesq,
  cfun,
  cgact,
  cgatt,
  cgdcont,
  cgpaddr,
  cops,
  csq,
  attached,
  inService,
  onLte,
} from "../at-handlers/network.js";
import {
  ACT_27007,
  registrationCommand,
  registrationUrcs,
  type Domain,
  type RegistrationFormat,
} from "../at-handlers/registration.js";
import { cmgd, cmgf, cmgl, cmgr, cmgs, cnma, cnmi, cpms, csca, csms } from "../at-handlers/sms.js";
import { args, ERROR, ok, OK, simGate, type CommandDef, type CommandTable, type Ctx, type Result } from "../at-handlers/types.js";
import { cimi, cmee, cpin, crsm, cscs, iccidCommand, ident, v250 } from "../at-handlers/v250.js";
import type { Personality } from "../personality.js";
import { telitEcm } from "./bearer-commands.js";
import { defaultSettings, type Network } from "../state.js";

// Telit LE910C1 (LE910C1-EUX: LTE Cat 1 + GSM), written from its fact sheet: the LE910Cx AT Commands
// Reference Guide 80502ST10950A Rev.14 ("§x (R14 p.N)"), sibling Telit guides where that one was not
// readable (ME910C1 80529ST10815A, LE910 V2 80446ST10707A, ME310G1 80617ST10991A), and captured
// replies of a real LE910C1-EUX in an open-source Arduino driver ("[EUX driver]").

const SOURCES =
  "Telit LE910Cx AT Commands Reference Guide 80502ST10950A Rev.14 (2022-03-04), selected pages; " +
  "ME910C1 AT guide 80529ST10815A Rev.2 (2017-09-14); LE910 V2 guide 80446ST10707A; ME310G1 guide 80617ST10991A; " +
  "LE910C1-EUX Arduino driver (M. G. Akkoyun) with captured replies; 3GPP TS 27.007 / 27.005 where the sheet is silent";

const REG: Record<Domain, RegistrationFormat> = {
  // +CREG/+CGREG n 0–2 [EUX driver]; lac/ci as 27.007 quoted hex strings; AcT 27.007 (0 GSM, 7 E-UTRAN).
  cs: { maxN: 2, quote: true, areaWidth: 4, ciWidth: 4, act: true, actOf: ACT_27007 },
  ps: { maxN: 2, quote: true, areaWidth: 4, ciWidth: 4, act: true, actOf: ACT_27007 },
  // LE910 V2 §+CEREG (R0 p.60): n 0–2 (3–5 not read for LE910Cx), tac 2-byte hex string ("00C3"),
  // ci 4-byte hex string (padded to 8 digits: a choice), AcT 7; only E-UTRAN is reported in EPS.
  eps: { maxN: 2, quote: true, areaWidth: 4, ciWidth: 8, act: true, actOf: ACT_27007, rats: ["lte"] },
};

/** ATZ[<n>] / AT&F[<n>]: back to the profile, which by default is the factory profile (§2.3.1). */
function restoreProfile(a: string, ctx: Ctx): Result {
  if (a !== "" && a !== "0" && a !== "1") return ERROR;
  const keep = ctx.world.settings;
  // PDP contexts and the vendor switches kept in NVM are not part of the profile; nor is the radio state.
  ctx.world.settings = { ...defaultSettings(ctx.p.defaults), cfun: keep.cfun, pdp: keep.pdp, vendor: keep.vendor };
  return OK;
}

function identity(ctx: Ctx): CommandTable {
  const p = ctx.p;
  const imei = ident(() => [p.imei]);
  return {
    // Echo factory ON [not in manual: GE910 driver comment]; V1 default (§2.2.2 R14 p.32); profiles (§2.3.1).
    ...v250({ echo: true, verbose: true, quiet: true }),
    Z: { exec: restoreProfile },
    "&F": { exec: restoreProfile },
    "&W": { exec: (a) => (a === "" || a === "0" || a === "1" ? OK : ERROR) }, // two user profiles (§2.3.1)
    // ATI<n> (ME910C1 R2 p.31; LE910Cx not read): 3 manufacturer, 4 product name. The texts of ATI/ATI0
    // (numerical identifier), 1, 2 and 5 are not established: those answer ERROR.
    I: { exec: (a) => (a === "3" ? ok(p.manufacturer) : a === "4" ? ok(p.model) : ERROR) },
    "+CGMI": ident(() => [p.manufacturer]), // bare `Telit` [EUX driver]
    "+GMI": ident(() => [p.manufacturer]),
    "+CGMM": ident(() => [p.model]), // [EUX driver]
    "+GMM": ident(() => [p.model]),
    "+CGMR": ident(() => [p.revision]), // `25.30.226` [EUX driver]
    "+GMR": ident(() => [p.revision]),
    // Bare IMEI (27.007 §5.4); `+CGSN: <imei>` unquoted for <snt> 1 [EUX driver]; 2/3 (IMEISV, SVN) not established.
    "+CGSN": { ...imei, write: (a) => (a === "0" ? ok(p.imei) : a === "1" ? ok(`+CGSN: ${p.imei}`) : ERROR) },
    // [not verified for LE910Cx: older Telit modules print a board serial here] — 27.007/V.250: the IMEI.
    "+GSN": ident(() => [p.imei]),
    // `#SWPKGV`: four lines [EUX driver].
    "#SWPKGV": ident(() => [`${p.revision}-P0F.225200`, "M0F.223006", "P0F.225200", "A0F.223006"]),
    "+CIMI": cimi(), // bare IMSI (27.007)
    "#CIMI": { exec: (_a, c) => simGate(c) ?? ok(`#CIMI: ${c.world.sim.imsi}`) }, // [not in manual: HE910 driver comment]
    "+CMEE": cmee([0, 1, 2], "+CMEE: (0-2)"), // 0/1/2 [EUX driver]; factory 0 (Telit factory profile)
    "+CSCS": cscs(["IRA", "GSM", "UCS2"]), // [not in sheet: 27.007 §5.5]
  };
}

function sim(): CommandTable {
  return {
    "+CPIN": cpin(), // `+CPIN: READY` [EUX driver]
    "+CRSM": crsm(), // [not read: 27.007 §8.18]
    "#CCID": iccidCommand((v) => `#CCID: ${v}`), // `#CCID: 8990011916180288209`, no quotes, no F [EUX/GE910 drivers]
    // ME310G1 §3.3.9 (R4 p.182): mode 0 query, 1 URC 0–1, 2 URC 0–3; read `#QSS: <mode>,<status>`.
    // [framework: the #QSS URC cannot be raised — there is no SIM-change hook for a personality]
    "#QSS": {
      read: (_a, c) => ok(`#QSS: ${c.world.settings.vendor.qss ?? 0},${qssStatus(c)}`),
      write: (a, c) => (/^[0-2]$/.test(a) ? setVendor(c, "qss", a) : ERROR),
    },
    // `#SIMDET: 2,1`: mode 2 automatic, SIM present [EUX driver].
    "#SIMDET": {
      read: (_a, c) => ok(`#SIMDET: ${c.world.settings.vendor.simdet ?? 2},${c.world.sim.present ? 1 : 0}`),
      write: (a, c) => (/^[0-2]$/.test(a) ? setVendor(c, "simdet", a) : ERROR),
    },
  };
}

function setVendor(ctx: Ctx, key: string, value: string): Result {
  ctx.world.settings.vendor[key] = Number(value);
  return OK;
}

/** #QSS <status>: 0 not inserted, 1 inserted, 2 inserted and PIN unlocked, 3 READY — 0–1 only below mode 2. */
function qssStatus(ctx: Ctx): number {
  const s = ctx.world.sim;
  if (!s.present) return 0;
  if (ctx.world.settings.vendor.qss !== 2 || !s.unlocked) return 1;
  return 3; // the simulated SIM is READY as soon as it is unlocked
}

/** #PSNT <nt> (Telit family, "verify" in the sheet): 0 GPRS, 4 LTE, 5 unknown / no service. */
function networkType(ctx: Ctx): number {
  if (!inService(ctx)) return 5;
  return onLte(ctx.world.net) ? 4 : 0; // [choice: 0 (GPRS) rather than 1 (EGPRS) on GSM]
}

const signed = (v: number | null) => (v === null ? "" : String(Math.round(v)));
const hexUp = (v: number, width: number) => v.toString(16).toUpperCase().padStart(width, "0");

/**
 * #RFSTS on LTE, in the shape of the real LE910C1-EUX reply [EUX driver]:
 * `#RFSTS: "286 01",1795,-101,-67,-15,2242,,128,3,1,0B5D121,"286016339612498","Turkcell",3,3,108`.
 * PLMN quoted with a space, EARFCN, RSRP/RSSI dBm and RSRQ dB as integers, TAC (4) and CID (7) hex unquoted,
 * <RAC> empty, IMSI and operator name quoted, band last but one. The captured values between <RAC> and <CID>
 * (128,3,1), <SD> (3) and the trailing 108 are printed as captured: which field each is, is not established.
 */
function rfsts(): CommandDef {
  return {
    exec: (_a, c) => {
      const n = c.world.net;
      if (!inService(c)) return { cme: 30 }; // [not established: the reply without service — chosen: no network service]
      if (!onLte(n)) return { cme: 4 }; // [the 2G form was not captured]
      const plmn = `"${n.mcc} ${n.mnc}"`;
      return ok(
        `#RFSTS: ${plmn},${n.earfcn},${signed(n.rsrpDbm)},${signed(n.rssiDbm)},${signed(n.rsrqDb)},${hexUp(n.tac, 4)},,128,3,1,` +
          `${hexUp(n.ci, 7)},"${c.world.sim.imsi}","${n.longName}",3,${n.band},108`,
      );
    },
  };
}

const WS46 = [12, 22, 25, 28, 29, 30, 31]; // the values the EUX driver interprets (27.007 +WS46 codes)

function network(): CommandTable {
  return {
    "+CSQ": csq(), // 27.007 <ber> 99: real LE910C1 replies `+CSQ: 9,99` [EUX driver]
    "+CESQ": cesq(), // exists on ME910C1 (R2 p.54); LE910Cx not read
    "#RFSTS": rfsts(),
    "+CREG": registrationCommand("cs", REG.cs),
    "+CGREG": registrationCommand("ps", REG.ps),
    "+CEREG": registrationCommand("eps", REG.eps),
    "+COPS": cops({ actOf: ACT_27007 }), // 27.007 §7.3
    // `#PSNT: <mode>,<nt>` [chat script]; mode 1 enables the `#PSNT: <nt>` URC [Telit family, not read].
    "#PSNT": {
      read: (_a, c) => ok(`#PSNT: ${c.world.settings.vendor.psnt ?? 0},${networkType(c)}`),
      write: (a, c) => (a === "0" || a === "1" ? setVendor(c, "psnt", a) : ERROR),
    },
    // +WS46 [EUX driver]; [not established: the default — 25 chosen — and the test form: the driver's list]
    "+WS46": {
      read: (_a, c) => ok(`+WS46: ${c.world.settings.vendor.ws46 ?? 25}`),
      test: () => ok(`+WS46: (${WS46.join(",")})`),
      write: (a, c) => (WS46.includes(Number(a)) ? setVendor(c, "ws46", a) : ERROR),
    },
    "+CGATT": cgatt(),
    // [not read: the default PDP profiles (R14 p.50); cid 1 is the attach profile; cids 1–16 and the 27.007 read tail chosen]
    "+CGDCONT": cgdcont({ tail: () => ',"0.0.0.0",0,0', cids: [1, 16] }),
    "+CGPADDR": cgpaddr({ quote: true, defaultCid: 1 }), // [not read: 27.007 quotes <PDP_addr>]
    "+CGACT": cgact({ defaultCid: 1 }),
    "#ECM": telitEcm(), // the ECM interface (see bearer-commands.ts)
    // `AT#SGACT=<cid>,1` → `#SGACT: <ip>` then OK [EUX driver]; [not established: the answer without a bearer]
    "#SGACT": {
      write: (a, c) => {
        const [cid, state] = args(a);
        if (!/^\d+$/.test(cid ?? "") || (state !== "0" && state !== "1")) return ERROR;
        if (state === "0") return OK;
        return attached(c) ? ok(`#SGACT: ${c.world.net.ip}`) : { cme: 30 };
      },
    },
    "+CCLK": cclk(), // `+CCLK: "23/08/02,11:18:16+12"` [EUX driver]
    // [not read: +CFUN — 27.007 funs 0/1/4 and AT+CFUN=1,1 (Telit family: resets)]
    "+CFUN": cfun({ funs: [0, 1, 4], reset: true, test: "+CFUN: (0,1,4),(0-1)" }),
    "#REBOOT": { exec: () => ({ reboot: true }) }, // [Telit family: OK, then the module restarts]
  };
}

// ME910C1 R2 p.85 <mt> 0–3, <bm> 0/2, <ds> 0–2; [not read: <mode> and <bfr> ranges — 27.005 0–3 and 0–1]
const CNMI_ALLOWED: ReadonlyArray<readonly number[]> = [
  [0, 1, 2, 3],
  [0, 1, 2, 3],
  [0, 2],
  [0, 1, 2],
  [0, 1],
];

function sms(): CommandTable {
  const ack = cnma();
  return {
    "+CSMS": csms(), // 27.005 §3.2.1
    "+CPMS": cpms(), // [memories not read for LE910Cx]
    "+CMGF": cmgf({ text: true }), // text-mode URC forms documented (LE910-SKG p.123)
    "+CSCA": csca(),
    "+CNMI": cnmi({
      test: "+CNMI: (0-3),(0-3),(0,2),(0-2),(0,1)",
      accepts: (v) => v.length <= 5 && v.every((x, i) => CNMI_ALLOWED[i]!.includes(x)),
    }),
    // R14 p.638: PDU mode `AT+CNMA[=<n>…]` n 0/1/2; text mode `AT+CNMA` only; the test answer differs by mode.
    // [framework: the optional DELIVER-REPORT PDU after <length> is not accepted]
    "+CNMA": {
      exec: ack.exec!,
      write: (a, c) => (c.world.settings.cmgf === 1 ? ERROR : ack.write!(a, c)),
      test: (_a, c) => (c.world.settings.cmgf === 0 ? ok("+CNMA: (0-2)") : OK),
    },
    "+CMGL": cmgl(),
    "+CMGR": cmgr(),
    "+CMGD": cmgd(),
    "+CMGS": cmgs({ maxTpdu: 164 }), // `<CR><LF>> ` prompt [assumed from #SSEND, EUX driver]
  };
}

/** `#PSNT: <nt>` when #PSNT=1 and the network type changed. */
function psntUrc(ctx: Ctx, before: Network): string[] {
  if (ctx.world.settings.vendor.psnt !== 1) return [];
  const now = ctx.world.net;
  ctx.world.net = before;
  const was = networkType(ctx);
  ctx.world.net = now;
  const is = networkType(ctx);
  return was === is ? [] : [`#PSNT: ${is}`];
}

export const telitLe910c1: Personality = {
  id: "telit-le910c1",
  title: "Telit LE910C1 (LE910C1-EUX)",
  sources: SOURCES,
  manufacturer: "Telit", // [EUX driver]
  model: "LE910C1-EUX", // [EUX driver]
  revision: "25.30.226", // [EUX driver]
  imei: "354485417617003", // `+CGSN: 354485417617003` [EUX driver]
  rats: ["lte", "gsm"], // LE910C1 = LTE Cat 1; the EUX variant adds GSM
  defaultRat: "lte",
  timing: { replyMs: 10, bootMs: 2000 },
  bootBanners: [], // none documented (§5 of the sheet): the host waits for AT → OK
  defaults: {
    echo: true, // factory ATE1 [not in manual: GE910 driver comment]
    cmee: 0, // Telit factory profile (LE910Cx page not read)
    cnmi: [0, 0, 0, 0, 0], // [not read: 27.005 defaults]
    cregN: 0, // factory 0 [EUX driver / GE910 comments]
    cgregN: 0,
    ceregN: 0,
    vendor: { qss: 0, simdet: 2, psnt: 0, ws46: 25 },
  },
  junkBeforeAt: "ignore", // [not read: V.250 lets the DCE skip what precedes AT]
  resets: ["AT#REBOOT", "AT+CFUN=1,1"],
  prompt: "> ",
  // Verbose words are 27.007's in lower case (Telit guide 80000ST10025a §3.2.2.1): the standard table.
  sms: {
    // [not read for LE910Cx: memories and capacities — "SM" only, 30 chosen]
    memories: { SM: 30 },
    defaultMemory: "SM",
    cmtHeader: (len) => `+CMT: ,${len}`, // <alpha> normally empty (LE910-SKG p.123)
    // ME910C1 R2 p.85: acknowledged by the module with +CSMS 0; with 1 the TE must +CNMA, else an error goes to
    // the network and the next +CMT waits for the acknowledgement.
    ack: "csms1",
    ackTimeoutMs: 15_000, // [not read: "a predefined time-out" — within TS 24.011 TR2M, 12–20 s]
    ackTimeoutUrcs: [], // none documented
    unexpectedAck: { cms: 340 }, // 27.005 §3.4.4
  },
  networkChanged: (ctx, before) => [...registrationUrcs(ctx, before, REG), ...psntUrc(ctx, before)],
  commands: (ctx) => ({ ...identity(ctx), ...sim(), ...network(), ...sms() }),
};
