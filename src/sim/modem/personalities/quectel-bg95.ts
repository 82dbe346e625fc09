import {
  bearerAddress,
  attached,
  cclk,
  cgact,
  cgatt,
  cgdcont,
  cgpaddr,
  clamp,
  cops,
  csq,
  inService,
} from "../at-handlers/network.js";
import { registrationCommand, registrationUrcs, type Domain, type RegistrationFormat } from "../at-handlers/registration.js";
import { args, ERROR, ok, OK, type CommandDef, type CommandTable, type Ctx } from "../at-handlers/types.js";
import { cimi, cmee, crsm, cscs, ident } from "../at-handlers/v250.js";
import type { Personality } from "../personality.js";
import type { Network, SimRat } from "../state.js";
import {
  ctzu,
  qccid,
  qindCsqUrcs,
  qindcfg,
  qlts,
  qnwinfo,
  qpowd,
  quectelCfun,
  quectelCpin,
  quectelIdentity,
  quectelSms,
  QUECTEL_SMS_ACK,
} from "./quectel-ec25.js";

// Quectel BG95-M3 (LTE Cat-M1, Cat-NB2, EGPRS), written from its fact sheet. The BG95 manual (V2.0,
// 2020-09-18) was not readable, so every answer names its source, as the sheet abbreviates them:
//   CAP  real capture of a BG95-M3, firmware BG95M3LAR02A03_01.011.01.011 (lukejenkins/cwd)
//   MT77 MikroTik's BG77 AT guide (real BG77 output; BG77 shares the BG95 manual)
//   ATAT the quectel-bg9x-atat Rust driver's doc comments (quoting the BG95/BG96 manual)
//   RAK96 RAKwireless' BG96 guide; LOG96 a BG96 activation log; FIN Finamon BG77/BG770A logs
//   LJ   lukejenkins/cellular cell-scan-commands.md (BG95 manual §4.7 +QCSQ; no +QENG)
//   EC2x the Quectel EC2x V2.0 manual: "[EC2x hint]" — the sheet's fallback, unverified on BG95;
//        these answers reuse the EC25 personality's pieces.
// "[choice: …]" marks where the sheet is silent and 27.007/27.005 decided.

/** [MT77, RAK96] <AcT>: 0 GSM, 8 eMTC (LTE Cat-M1), 9 NB-IoT. */
const bg95Act = (rat: SimRat): number => (rat === "gsm" ? 0 : rat === "nb-iot" ? 9 : 8);

const LPWA: readonly SimRat[] = ["lte-m", "nb-iot"];

/**
 * Registration lines [EC2x hint: quoted 4-digit area code, ci quoted hex not padded, AcT last].
 * +CREG (0-2) [RAK96] also reports the LTE registration [FIN]; +CGREG [ATAT] 0–2 [EC2x hint];
 * +CEREG [ATAT] [choice: n 0–5 of 27.007 §10.1.22 — the sheet leaves n unknown, and PSM exists (CAP)].
 */
function bg95Format(maxN: number, rats?: readonly SimRat[]): RegistrationFormat {
  const f: RegistrationFormat = { maxN, quote: true, areaWidth: 4, ciWidth: 0, act: true, actOf: bg95Act };
  return rats === undefined ? f : { ...f, rats };
}
const BG95_REG: Record<Domain, RegistrationFormat> = { cs: bg95Format(2), ps: bg95Format(2), eps: bg95Format(5, LPWA) };

/** [CAP] QINDCFG types: all, csq, smsfull, ring, smsincoming (no "act") [EC2x hint: defaults]. */
const BG95_QIND = { all: 1, csq: 0, smsfull: 0, ring: 1, smsincoming: 1 };

/** A module serial number for AT+CGSN=0 [EC2x hint; value invented for the simulation]. */
const BG95_SN = "BG95M3A0A1234567";

/** [MT77] +QCSQ / +QNWINFO system mode words: "eMTC", "NBIoT", GSM. */
const sysmode = (net: Network) => (net.rat === "nb-iot" ? "NBIoT" : net.rat === "gsm" ? "GSM" : "eMTC");

/**
 * AT+QCSQ (BG95 manual §4.7 per LJ; forms from MT77): eMTC/NBIoT print RSSI, RSRP, SINR as an index
 * 0–250 (dB = value/5 − 20), RSRQ; GSM its RSSI [unverified]; "NOSERVICE" alone without service.
 * [choice: a value the simulated world does not know prints "-", as Quectel's +QENG does.]
 */
function qcsq(ctx: Ctx): string {
  const n = ctx.world.net;
  if (!inService(ctx)) return '+QCSQ: "NOSERVICE"';
  const v = (x: number | null) => (x === null ? "-" : String(Math.round(x)));
  if (n.rat === "gsm") return `+QCSQ: "GSM",${v(n.rssiDbm)}`;
  const sinr = n.sinrDb === null ? "-" : String(clamp(Math.round((n.sinrDb + 20) * 5), 0, 250));
  return `+QCSQ: "${sysmode(n)}",${v(n.rssiDbm)},${v(n.rsrpDbm)},${sinr},${v(n.rsrqDb)}`;
}

/** AT+QCFG (CAP, MT77) items with their defaults; values kept as the host wrote them. */
const QCFG: Readonly<Record<string, { def: string; test: string }>> = {
  iotopmode: { def: "2", test: "(0-2),(0,1)" }, // [MT77] read +QCFG: "iotopmode",2; [CAP] test
  nwscanmode: { def: "0", test: "(0,1,3),(0,1)" }, // [CAP, RAK96] [choice: default 0 = auto]
  nwscanseq: { def: "020301", test: "(00-010203),(0,1)" }, // [CAP] [choice: default eMTC, NB-IoT, GSM]
  // [CAP] GSM, Cat-M and NB-IoT band masks, lower-case hex with 0x.
  band: { def: "0xf,0x100002000000000f0e189f,0x100042000000000000081a", test: "" },
};

/** AT+QCFG="<item>"[,<value>…[,<effect>]]: the read form echoes the item's value (CAP, MT77). */
function qcfg(): CommandDef {
  return {
    write: (a, ctx) => {
      const [raw = "", ...rest] = args(a);
      const item = raw.toLowerCase();
      const def = QCFG[item];
      if (def === undefined) return ERROR; // [choice: items not in the sheet answer ERROR]
      const key = `qcfg:${item}`;
      if (rest.length === 0) return ok(`+QCFG: "${item}",${ctx.world.settings.vendor[key] ?? def.def}`);
      // [MT77] iotopmode <mode>,<effect>: the module keeps the mode; a band/mode change needs a reboot to act.
      const values = item === "band" ? rest.slice(0, 3) : rest.slice(0, 1);
      ctx.world.settings.vendor[key] = values.join(",");
      return OK;
    },
    // [CAP] the test lines of the items simulated ("band"'s is not in the sheet).
    test: () => ok(...Object.entries(QCFG).flatMap(([k, v]) => (v.test === "" ? [] : [`+QCFG: "${k}",${v.test}`]))),
  };
}

/**
 * The built-in stack's context (RAK96, ATAT, FIN): AT+QICSGP configures it, AT+QIACT=1 activates it
 * (ERROR when already active [FIN]), AT+QIACT? lists `+QIACT: 1,1,1,"<ip>"`, AT+QIDEACT=1 ends it.
 * [choice: the context shares the +CGDCONT cid; QIACT needs the packet attach; only IPv4 (type 1) is shown.]
 */
function qiContext(): CommandTable {
  const active = (ctx: Ctx) => ctx.world.settings.vendor["qiact:1"] === 1 && attached(ctx);
  const TYPES: Record<string, string> = { "1": "IP", "2": "IPV6", "3": "IPV4V6" };
  return {
    "+QICSGP": {
      write: (a, ctx) => {
        const [cid, type = "1", apn = ""] = args(a);
        const n = Number(cid);
        if (!/^\d+$/.test(cid ?? "") || n < 1 || n > 16 || TYPES[type] === undefined) return ERROR;
        const pdp = ctx.world.settings.pdp.filter((c) => c.cid !== n);
        ctx.world.settings.pdp = [...pdp, { cid: n, type: TYPES[type], apn }].sort((x, y) => x.cid - y.cid);
        return OK;
      },
      test: () => ok("+QICSGP: (1-16),(1-3),<APN>,<username>,<password>,(0-3)"), // [RAK96]
    },
    "+QIACT": {
      read: (_a, ctx) => (active(ctx) ? ok(`+QIACT: 1,1,1,"${bearerAddress(ctx, 1, 1)}"`) : OK),
      write: (a, ctx) => {
        if (a !== "1" || active(ctx) || !attached(ctx)) return ERROR; // [choice: contexts other than 1 not simulated]
        ctx.world.settings.vendor["qiact:1"] = 1;
        return OK;
      },
    },
    "+QIDEACT": {
      write: (a, ctx) => {
        if (a !== "1") return ERROR;
        ctx.world.settings.vendor["qiact:1"] = 0;
        return OK;
      },
    },
  };
}

function bg95Sim(): CommandTable {
  const simUrcs = ["+QUSIM: 1", "+QIND: SMS DONE"]; // [LOG96] no PB DONE [choice: also after a PIN / +CFUN=1]
  return {
    "+QGMR": ident(() => ["BG95M3LAR02A03_01.011.01.011"]), // [CAP]
    "+CMEE": cmee([0, 1, 2], "+CMEE: (0-2)"), // [EC2x hint]; verbose "SIM not inserted" [MT77]
    "+CSCS": cscs(["GSM", "IRA", "UCS2"]), // [choice: the 27.007 §5.5 sets; the sheet lists none]
    "+CPIN": quectelCpin(BG95_REG, simUrcs), // [MT77] +CPIN: READY / SIM PIN; [EC2x hint] the rest
    "+CFUN": quectelCfun(BG95_REG, simUrcs), // [MT77] 1 full, 4 flight, 1,1 reset; [EC2x hint] 0
    "+CIMI": cimi(), // [EC2x hint] bare IMSI
    "+CRSM": crsm(), // [choice: the sheet leaves +CRSM unknown; 27.007 §8.18]
    "+QCCID": qccid(), // [ATAT] AT+QCCID; [EC2x hint] +QCCID: <ICCID>
  };
}

function bg95Network(): CommandTable {
  return {
    "+CSQ": csq(), // [MT77, FIN] +CSQ: <rssi>,<ber>, 99,99 while not measured
    "+QCSQ": { exec: (_a, ctx) => ok(qcsq(ctx)) },
    "+QNWINFO": qnwinfo({
      // [MT77] "eMTC","24701","LTE BAND 20",6300 — operator quoted; [RAK96] GSM: "GSM 1800"
      act: sysmode,
      band: (net) => (net.rat === "gsm" ? `GSM ${net.band}` : `LTE BAND ${net.band}`),
      quoteOper: true,
    }),
    "+CREG": registrationCommand("cs", BG95_REG.cs),
    "+CGREG": registrationCommand("ps", BG95_REG.ps),
    "+CEREG": registrationCommand("eps", BG95_REG.eps),
    "+COPS": cops({ actOf: bg95Act }), // [MT77] +COPS: 0,0,"LMT",8; list (…),,(0,1,2,3,4),(0,1,2)
    "+CGATT": cgatt(), // [choice: 27.007 §10.1.9; the sheet is silent]
    // [choice: +CGDCONT/+CGACT formats unknown; the EC2x fields are used, cids 1–16 as +QICSGP's range (RAK96)]
    "+CGDCONT": cgdcont({ tail: () => ',"0.0.0.0",0,0,0,0', cids: [1, 16] }),
    "+CGACT": cgact({ defaultCid: 1 }),
    "+CGPADDR": cgpaddr({ quote: true, defaultCid: 1 }), // [SORACOM sample] +CGPADDR: 1,"10.225.154.84"
    ...qiContext(),
    "+QCFG": qcfg(),
    "+CCLK": cclk(), // [EC2x hint]
    "+QLTS": qlts(), // [EC2x hint]
    "+CTZU": ctzu(1), // [RAK96] (0,1,3), read +CTZU: 1 on BG96
    "+QINDCFG": qindcfg(BG95_QIND),
    "+QPOWD": qpowd(), // [ATAT] OK, then POWERED DOWN
  };
}

export const quectelBg95: Personality = {
  id: "quectel-bg95",
  title: "Quectel BG95-M3",
  sources:
    "Quectel BG95&BG77&BG600L Series AT Commands Manual V2.0 (2020-09-18) — not readable, so: a BG95-M3 capture " +
    "(lukejenkins/cwd, firmware BG95M3LAR02A03_01.011.01.011), MikroTik's BG77 guide, the quectel-bg9x-atat driver, " +
    "RAKwireless' BG96 guide, BG96/BG77 logs, lukejenkins/cellular; the Quectel EC2x V2.0 manual as a hint; " +
    "3GPP TS 27.007/27.005 where all are silent",
  manufacturer: "Quectel", // [EC2x hint]; ATI's first line [CAP]
  model: "BG95-M3", // [CAP] ATI
  revision: "BG95M3LAR02A03", // [CAP] ATI "Revision: …"; +CGMR the same [ATAT]
  imei: "864678051234563", // [not in sources: an invented IMEI with a valid check digit]
  rats: ["lte-m", "nb-iot", "gsm"], // [LJ, CAP] Cat-M1, Cat-NB2, EGPRS
  timing: { replyMs: 10, bootMs: 2000 }, // [choice: drivers allow 10–20 s to APP RDY; capped for tests]
  // [LOG96] order after power-on; APP RDY [ATAT].
  bootBanners: ["RDY", "+CFUN: 1", "APP RDY", "+CPIN: READY", "+QUSIM: 1", "+QIND: SMS DONE"],
  // [EC2x hint] echo on, +CMEE 1, +CMGF 0, +CSMS 0, +CNMI 2,1,0,0,0, all <n> 0 ([FIN] +CEREG: 0,5).
  defaults: { echo: true, cmee: 1, cfun: 1, cmgf: 0, csms: 0, cnmi: [2, 1, 0, 0, 0], cregN: 0, cgregN: 0, ceregN: 0, cgerep: 0 },
  junkBeforeAt: "ignore", // [choice: unknown; V.250 lets the DCE skip what precedes "AT"]
  resets: ["AT+CFUN=1,1"], // [MT77, ATAT]
  prompt: "> ", // [choice: 27.005 §3.5.1 <CR><LF>"> "; the sheet is silent]
  // [EC2x hint] "ME" and "SM", ME the default [choice: the EC2x capacities, ME 255 and SM 50].
  // [choice: indexes from 0 — the sheet does not say; 27.005 leaves it to the module.]
  sms: { memories: { ME: 255, SM: 50 }, firstIndex: 0, defaultMemory: "ME", ...QUECTEL_SMS_ACK },
  networkChanged: (ctx, before) => {
    if (!attached(ctx)) ctx.world.settings.vendor["qiact:1"] = 0; // a detach ends the +QIACT context
    return [...registrationUrcs(ctx, before, BG95_REG), ...qindCsqUrcs(ctx, before, BG95_QIND)];
  },
  commands: (ctx) => ({
    ...quectelIdentity(ctx.p, BG95_SN), // [CAP] ATI three lines; [ATAT, FIN] bare +CGMR/+CGMM/+GSN
    ...bg95Sim(),
    ...bg95Network(),
    // [EC2x hint] the 27.005 commands as on EC2x [choice: +CMGS <length> up to 164, the largest SMS-SUBMIT TPDU].
    ...quectelSms({ maxTpdu: 164 }),
  }),
};
