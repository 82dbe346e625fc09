import { attached, cesq, cgact, cgatt, cgdcont, cgpaddr, cclk, radioSwitched } from "../at-handlers/network.js";
import { registrationCommand, registrationLine, registrationUrcs, statOf, onNetwork } from "../at-handlers/registration.js";
import { args, ERROR, hex, ok, OK, type CommandDef, type CommandTable, type Ctx, type Result } from "../at-handlers/types.js";
import { cimi, cmee, cpin, crsm, efIccid, ident, v250 } from "../at-handlers/v250.js";
import type { Personality } from "../personality.js";
import {
  actOf,
  CEREG,
  FUNS,
  UICC_READY_AT,
  XSIM,
  CESQ_URC,
  SYSTEM_MODE,
  PSM,
  MDMEV,
  served,
  epsView,
  epsOnly,
  gated,
  uiccState,
  uiccGate,
  signal,
} from "./nordic-nrf9160-state.js";
import { smsCommands } from "./nordic-nrf9160-sms.js";
import type { Network } from "../state.js";

// Nordic nRF9160 with modem firmware 1.3.x, written from the fact sheet of the nRF91 AT Commands
// Command Reference Guide (4418_963). "§x.y" below is a section of that guide; "[IC …]" a page of
// its HTML edition tagged v1.3.x; "[not in manual: …]" another source; "[27.007]"/"[27.005]" the
// standard's behaviour where the sheet is silent.
//
// What makes this module hard: LTE-M/NB-IoT only, +CEREG only, no echo and no V.250 commands,
// +CMEE 0/1 only, boots in +CFUN: 0 with the UICC off, ICCID only by %XICCID, and no SMS storage:
// messages are routed as +CMT and must be acknowledged with +CNMA, or the SMS client is dropped.

export interface Nrf9160Options {
  /** AT+CSQ: `error` (absent in 1.3.x per the brief, unconfirmed) or `always-99` (2020 text §5.7: `+CSQ: 99,99`). */
  csq?: "error" | "always-99";
  /** The network's RP-ACK timer for a +CMT (24.011; the manual gives no figure). */
  ackTimeoutMs?: number;
  /** How long the UICC initialises after AT+CFUN=1 (+CPIN? answers an error meanwhile). */
  uiccInitMs?: number;
}

// ---- identity (§4) ----

function identity(ctx: Ctx): CommandTable {
  const p = ctx.p;
  const imeisv = `${p.imei.slice(0, 14)}12`; // §4.4: 16 digits; SVN "12" chosen [not in manual]
  return {
    // §3: no V.250 basic command at all (no E, V, Q, Z, &F, &W, I): a bare AT answers OK [TinyGSM #486].
    ...v250({}),
    "+CGMI": ident(() => [p.manufacturer]), // §4.1 bare text
    "+CGMM": ident(() => [p.model]), // §4.2
    "+CGMR": ident(() => [p.revision]), // §4.3 mfw_nrf9160_1.3.<n>
    "+CGSN": {
      exec: () => ok(p.imei), // §4.4: bare IMEI
      test: () => ok("+CGSN: (0-3)"),
      write: (a) => {
        const quoted: Record<string, string> = { "1": p.imei, "2": imeisv, "3": imeisv.slice(14) };
        if (a === "0") return ok(p.imei);
        const v = quoted[a];
        return v === undefined ? ERROR : ok(`+CGSN: "${v}"`); // §4.4: <snt> 1–3 print the value in quotes
      },
    },
    "+CIMI": gated(cimi(), (c) => (uiccState(c) === "ready" ? undefined : ERROR)), // §4.5: ERROR when no IMSI
    "%SHORTSWVER": { exec: () => ok(`%SHORTSWVER: ${p.revision.replace(/^mfw_/, "")}`) }, // §4.6 unquoted
    "%HWVERSION": { exec: () => ok("%HWVERSION: nRF9160 SICA B0A") }, // §4.7
    "%XMODEMUUID": { exec: () => ok("%XMODEMUUID: 25c95751-efa4-40d4-8b4a-1dcaab81fac9") }, // §4.8
    "+CMEE": cmee([0, 1], "+CMEE: (0,1)"), // §9.1: no mode 2 (=2 → ERROR, TinyGSM #486); test in 27.007 form
  };
}

// ---- SIM (§4.9, §5.2, §5.3, §5.9, §5.17) ----

function simCommands(): CommandTable {
  return {
    // §5.2.2: unquoted code as a real module prints it ("+CPIN: READY", TinyGSM #486; the manual's
    // example quotes "SIM PIN": the device form is used for all codes). Test form not supported.
    "+CPIN": gated(cpin(), uiccGate),
    "+CPINR": {
      // §5.3: AT+CPINR="SIM PIN" → +CPINR: "SIM PIN",3 (PUK count 10 chosen [not in manual])
      write: (a, ctx) => {
        const code = args(a)[0]!.toUpperCase();
        const left = code === "SIM PIN" ? ctx.world.sim.pinAttemptsLeft : code === "SIM PUK" ? 10 : undefined;
        return uiccGate(ctx) ?? (left === undefined ? ERROR : ok(`+CPINR: "${code}",${left}`));
      },
    },
    // §4.9: the raw EF_ICCID digits, unquoted, a 19-digit ICCID padded with F; read form → ERROR.
    "%XICCID": {
      exec: (_a, ctx) =>
        uiccGate(ctx) ?? (ctx.world.sim.present ? ok(`%XICCID: ${efIccid(ctx.world.sim.iccid).raw}`) : { cme: 10 }),
    },
    "+CRSM": gated(crsm(), uiccGate), // §5.9
    "%XSIM": {
      // §5.17: read `%XSIM: 1`, or `%XSIM: 0[,<cause>]` (cause 1 = PIN required). The `%XSIM: 1` URC is
      // not raised: the framework has no timer for the end of UICC initialisation (see report).
      read: (_a, ctx) => {
        const sim = ctx.world.sim;
        if (uiccState(ctx) !== "ready" || !sim.present) return ok("%XSIM: 0");
        return ok(sim.unlocked ? "%XSIM: 1" : "%XSIM: 0,1");
      },
      write: (a, ctx) => setVendorFlag(ctx, XSIM, a),
    },
  };
}

function setVendorFlag(ctx: Ctx, key: string, a: string): Result {
  if (a !== "0" && a !== "1") return ERROR;
  ctx.world.settings.vendor[key] = Number(a);
  return OK;
}

// ---- power (§5.1, §12) ----

/**
 * §5.1: <fun> only, no <rst> (AT+CFUN=1,1 → ERROR: the modem has no reboot command, §12). Read shows
 * 0, 1 or 4. 20/21 turn LTE off/on, 30/31 GNSS (not simulated), 40/41 the UICC, 44 flight with UICC on.
 */
function cfunCommand(uiccInitMs: number): CommandDef {
  return {
    read: (_a, ctx) => ok(`+CFUN: ${ctx.world.settings.cfun}`),
    test: () => ok(`+CFUN: (${FUNS.join(",")})`),
    write: (a, ctx) => (/^\d+$/.test(a) && FUNS.includes(Number(a)) ? setFun(ctx, Number(a), uiccInitMs) : ERROR),
  };
}

/** Switches radio and UICC; CFUN prints no URC itself, its effects show as +CEREG and +CGEV (§5.1). */
function setFun(ctx: Ctx, fun: number, uiccInitMs: number): Result {
  const s = ctx.world.settings;
  const regBefore = registrationLine(ctx, "eps", "urc", CEREG);
  const wasServed = served(ctx);
  const wasAttached = attached(epsView(ctx));
  const lte: Record<number, number> = { 0: 0, 1: 1, 4: 4, 20: 4, 21: 1, 40: s.cfun === 1 ? 4 : s.cfun, 44: 4 };
  const was = s.cfun;
  s.cfun = lte[fun] ?? s.cfun; // 30/31/41 leave LTE as it is
  radioSwitched(ctx, s.cfun, was);
  if (s.cfun === 0) delete s.vendor[MDMEV];
  if (fun === 0 || fun === 4 || fun === 40) delete s.vendor[UICC_READY_AT];
  else if ([1, 21, 41, 44].includes(fun) && uiccState(ctx) === "off") s.vendor[UICC_READY_AT] = ctx.now() + uiccInitMs;
  const urcs: string[] = [];
  const regNow = registrationLine(ctx, "eps", "urc", CEREG);
  // Attach is automatic (§7.10.1): searching first, then registered with the initial PDN (cid 0) up.
  if (regNow !== undefined && !wasServed && served(ctx)) urcs.push("+CEREG: 2");
  const isAttached = attached(epsView(ctx));
  if (s.cgerep === 1 && isAttached !== wasAttached) urcs.push(isAttached ? "+CGEV: ME PDN ACT 0" : "+CGEV: ME DETACH");
  if (regNow !== undefined && regNow !== regBefore) urcs.push(regNow);
  // ctx.urc rather than a result's `urcs`: dispatch() keeps only the lines of an OK (see report).
  for (const u of urcs) ctx.urc(u);
  return OK;
}

// ---- network, signal, packet domain (§5.5, §7, §8) ----

function copsCommand(): CommandDef {
  return {
    // §8.1: read +COPS: <mode>[,<format>,<oper>[,<AcT>]]; e.g. +COPS: 0,2,"26201",7
    read: (_a, ctx) => {
      const s = ctx.world.settings;
      const n = ctx.world.net;
      if (!served(ctx)) return ok(`+COPS: ${s.copsMode}`);
      const oper = [n.longName, n.shortName, `${n.mcc}${n.mnc}`][s.copsFormat];
      return ok(`+COPS: ${s.copsMode},${s.copsFormat},"${oper}",${actOf(n.rat)}`);
    },
    // §8.1: modes 0 auto, 1 manual (numeric only), 3 set format; 2 appears in the read only.
    write: (a, ctx) => {
      const [mode, format, oper] = args(a);
      const s = ctx.world.settings;
      const net = ctx.world.net;
      const regBefore = registrationLine(ctx, "eps", "urc", CEREG);
      if (mode === "0" && format === undefined) [s.copsMode, net.selected] = [0, null];
      else if (mode === "1" && format === "2" && /^\d{5,6}$/.test(oper ?? "")) [s.copsMode, net.selected] = [1, oper!];
      else if (mode === "3" && ["0", "1", "2"].includes(format ?? "")) s.copsFormat = Number(format) as 0 | 1 | 2;
      else return ERROR;
      const regNow = registrationLine(ctx, "eps", "urc", CEREG);
      if (regNow !== undefined && regNow !== regBefore) ctx.urc(regNow);
      return OK;
    },
    // §8.1.3: names are empty strings. Radio off: 27.007 "no network service" (30) [sheet silent].
    test: (_a, ctx) => {
      const n = ctx.world.net;
      return served(ctx) ? ok(`+COPS: (2,"","","${n.mcc}${n.mnc}",${actOf(n.rat)})`) : { cme: 30 };
    },
  };
}

/** §8.15: `%XMONITOR: <reg_status>[,…16 fields]`, the tail only when registered (1 or 5). */
function xmonitor(ctx: Ctx): string {
  const stat = statOf(ctx, "eps", CEREG);
  if (stat !== 1 && stat !== 5) return `%XMONITOR: ${stat}`;
  const n = ctx.world.net;
  const { rsrp, snr } = signal(ctx);
  // Timers: Active-Time, Periodic-TAU-ext, Periodic-TAU. Without PSM granted: deactivated, as the manual's example.
  const timers = n.psm === null ? ["11100000", "11100000"] : [n.psm.activeTime, n.psm.periodicTau];
  const q = (s: string) => `"${s}"`;
  const fields = [stat, q(n.longName), q(n.shortName), q(`${n.mcc}${n.mnc}`), q(hex(n.tac, 4)), actOf(n.rat), n.band];
  fields.push(q(hex(n.ci, 8)), n.pci, n.earfcn, rsrp, snr, q(""), ...[...timers, "00000000"].map(q));
  return `%XMONITOR: ${fields.join(",")}`;
}

/** §5.6 [IC cesq_set]: threshold index = how many of the default thresholds the value reaches; 255 unknown. */
function cesqUrc(ctx: Ctx): string {
  const { rsrp, rsrq } = signal(ctx);
  const idx = (v: number, th: number[]) => (v === 255 ? 255 : th.filter((t) => v >= t).length);
  return `%CESQ: ${rsrp},${idx(rsrp, [20, 40, 60, 80])},${rsrq},${idx(rsrq, [7, 14, 21, 28])}`;
}

function networkCommands(o: Required<Nrf9160Options>): CommandTable {
  return {
    "+CFUN": cfunCommand(o.uiccInitMs),
    "+CEREG": registrationCommand("eps", CEREG), // §8.10; no +CREG/+CGREG/+C5GREG (ch. 8 lists none)
    "+COPS": copsCommand(),
    // §5.7 (2020 text): `+CSQ: 99,99` only; 1.3.x: absent per the brief (unconfirmed) → not in the table.
    ...(o.csq === "always-99" ? { "+CSQ": { exec: () => ok("+CSQ: 99,99"), test: () => ok("+CSQ: (99),(99)") } } : {}),
    // §5.5: only rsrq/rsrp meaningful, the first four fixed 99,99,255,255; read not supported.
    "+CESQ": { ...epsOnly(cesq()), test: () => ok("+CESQ: (99),(99),(255),(255),(0-34,255),(0-97,255)") },
    "%CESQ": { write: (a, ctx) => setVendorFlag(ctx, CESQ_URC, a) }, // §5.6: read/test not supported
    "%XMONITOR": { exec: (_a, ctx) => ok(xmonitor(ctx)) }, // §8.15: read/test not supported
    // §5.14: current band, 0 = unknown; the test list is the manual's example (depends on %XBANDLOCK).
    "%XCBAND": {
      exec: (_a, ctx) => ok(`%XCBAND: ${served(ctx) ? ctx.world.net.band : 0}`),
      test: () => ok("%XCBAND: (1,2,3,4,12,13)"),
    },
    "%XSYSTEMMODE": xsystemmode(),
    "+CPSMS": cpsms(),
    "+CGATT": { ...cgatt(), ...epsOnly(cgatt(), ["read"]) }, // §7.10: attach is automatic
    // §7.1: cid 0–11, cid 0 the initial bearer; read `+CGDCONT: 0,"IP","internet","10.0.1.1",0,0`; test not supported.
    // The address of an inactive context prints as "" [27.007; sheet silent].
    "+CGDCONT": epsOnly(
      cgdcont({ cids: [0, 11], tail: (ctx, cid) => `,"${cid === 0 && attached(ctx) ? ctx.world.net.ip : ""}",0,0` }),
    ),
    "+CGACT": cgactCommand(),
    // §7.8: quoted addresses; without <cid> the active contexts; read not supported.
    "+CGPADDR": epsOnly(cgpaddr({ quote: true, defaultCid: 0, onlyActive: true })),
    "+CGEREP": {
      // §7.3 names +CGEREP=1 for +CGEV; forms per 27.007 §10.1.19 with the modes 0/1 [sheet silent].
      read: (_a, ctx) => ok(`+CGEREP: ${ctx.world.settings.cgerep},0`),
      test: () => ok("+CGEREP: (0,1),(0)"),
      write: (a, ctx) => {
        if (!/^[01](,0)?$/.test(a)) return ERROR;
        ctx.world.settings.cgerep = Number(a[0]);
        return OK;
      },
    },
    // §13 URC table [IC mdmev_set]: %MDMEV=1 subscribes to modem events (RESET LOOP, SEARCH STATUS…); read/test not given.
    "%MDMEV": { write: (a, ctx) => setVendorFlag(ctx, MDMEV, a) },
    "+CCLK": cclk({ neverSet: ERROR }), // §5.31: ERROR when time was never received
  };
}

/** §7.4: the factory's forms; cid 0 cannot be (de)activated (§7.4.1): 27.007 "operation not allowed" [code not in sheet]. */
function cgactCommand(): CommandDef {
  const base = epsOnly(cgact({ defaultCid: 0 }));
  return { ...base, write: (a, ctx) => (args(a).slice(1).includes("0") ? { cme: 3 } : base.write!(a, ctx)) };
}

/** §5.36: <M1>,<NB1>,<GNSS>,<LTE_preference>; only while not active (+CME 518); test not supported. */
function xsystemmode(): CommandDef {
  return {
    read: (_a, ctx) => ok(`%XSYSTEMMODE: ${ctx.world.settings.vendor[SYSTEM_MODE] ?? "1,0,0,0"}`),
    write: (a, ctx) => {
      // Both LTE modes at once are accepted (1.3.x unverified in the sheet; the 2020 text allowed one).
      if (!/^[01],[01],[01],[0-2]$/.test(a.replace(/\s/g, ""))) return ERROR;
      if (ctx.world.settings.cfun === 1) return { cme: 518 };
      ctx.world.settings.vendor[SYSTEM_MODE] = a.replace(/\s/g, "");
      return OK;
    },
  };
}

/**
 * §8.3: `AT+CPSMS=1,"","","10101010","00100001"`; read `+CPSMS: 1,,,"10101111","01101100"`; `AT+CPSMS=`
 * disables and resets. Before any request the timers read as "" [chosen: the sheet gives no default].
 * What the network grants shows in +CEREG n 4/5 and %XMONITOR (world.net.psm).
 */
function cpsms(): CommandDef {
  return {
    read: (_a, ctx) => {
      const [mode, tau, active] = String(ctx.world.settings.vendor[PSM] ?? "0,,").split(",");
      return ok(`+CPSMS: ${mode},,,"${tau}","${active}"`);
    },
    write: (a, ctx) => {
      const [mode, , , tau = "", active = ""] = args(a);
      const bits = (s: string) => /^([01]{8})?$/.test(s);
      if (a === "" || mode === "0") ctx.world.settings.vendor[PSM] = "0,,";
      else if (mode === "1" && bits(tau) && bits(active)) ctx.world.settings.vendor[PSM] = `1,${tau},${active}`;
      else return ERROR;
      return OK;
    },
  };
}

// ---- URCs on network change (§8.10, §7.3, §5.6) ----

function networkChanged(ctx: Ctx, before: Network): string[] {
  const out: string[] = [];
  const s = ctx.world.settings;
  const wasAttached = onNetwork(ctx, before, () => attached(epsView(ctx)));
  const isAttached = attached(epsView(ctx));
  if (s.cgerep === 1 && wasAttached !== isAttached) out.push(isAttached ? "+CGEV: ME PDN ACT 0" : "+CGEV: NW DETACH");
  out.push(...registrationUrcs(ctx, before, { eps: CEREG }));
  if (s.vendor[CESQ_URC] === 1) {
    const was = onNetwork(ctx, before, () => cesqUrc(ctx));
    const is = cesqUrc(ctx);
    const thresholds = (u: string) =>
      u
        .split(",")
        .filter((_, i) => i % 2 === 1)
        .join();
    if (thresholds(was) !== thresholds(is)) out.push(is); // a URC when a threshold is crossed (§5.6)
  }
  return out;
}

// ---- errors (§9, §10.9) ----

const CME_TEXT: Readonly<Record<number, string>> = {
  513: "not found",
  514: "no access",
  515: "memory full",
  516: "radio connection is active",
  518: "not allowed in active state",
  521: "PLMN search interrupted, partial results",
  522: "band configuration not valid for selected mode",
  528: "not allowed when power-off warning is active",
};

// ---- the personality ----

/** An nRF9160 with options (the +CSQ variant, the network's ack timer, the UICC start-up time). */
export function nordicNrf9160With(options: Nrf9160Options = {}): Personality {
  const o: Required<Nrf9160Options> = { csq: "error", ackTimeoutMs: 5000, uiccInitMs: 500, ...options };
  return {
    id: "nordic-nrf9160",
    title: "Nordic nRF9160 (modem firmware 1.3.x)",
    sources:
      "nRF91 AT Commands Command Reference Guide 4418_963 (2020 edition, firmware tags up to v1.2.x) and its " +
      "infocenter HTML pages tagged v1.3.x (+CNMA, +CNMI, +CMT, %XMONITOR, +CESQ, %CESQ…), via " +
      "docs/modems/nordic-nrf9160.md; TinyGSM issue #486 (a real log); nrfconnect/sdk-nrf PR #22101 (no echo); " +
      "3GPP TS 27.007 / 27.005 where the sheet is silent",
    manufacturer: "Nordic Semiconductor ASA", // §4.1
    model: "nRF9160-SICA", // §4.2
    revision: "mfw_nrf9160_1.3.5", // §4.3 pattern mfw_nrf9160_1.3.<n>
    imei: "352656100367872", // §4.4 example
    rats: ["lte-m", "nb-iot"], // §8: LTE-M and NB-IoT only
    defaultRat: "lte-m",
    timing: { replyMs: 5, bootMs: 1000 }, // [not in manual: no figures given; small values chosen]
    // §5: the modem prints nothing at boot (the Serial LTE Modem application's "Ready" is not the modem's).
    bootBanners: [],
    // §3 no echo; §9.1 +CMEE 0; §5 starts in +CFUN: 0; §10.2 no SMS client (read form `…,1`, bfr 1);
    // §7.1 cid 0 the initial bearer (APN empty = network-provided [not in manual], type IP to match the
    // world's IPv4 address); +COPS format numeric as the manual's first example [chosen].
    defaults: { echo: false, cmee: 0, cfun: 0, copsFormat: 2, cnmi: [0, 0, 0, 0, 1], pdp: [{ cid: 0, type: "IP", apn: "" }] },
    junkBeforeAt: "ignore", // §3: not stated; V.250 lets a DCE ignore what precedes "AT"
    // §12: no AT+CFUN=1,1, no reboot command: the application resets the modem through the modem
    // library (ModemSimulator.reboot()). AT+CFUN=0 then AT+CFUN=1 is a radio cycle, not a reboot.
    resets: [],
    prompt: null, // §10.3: +CMGS has no prompt
    errorText: (kind, code) => (kind === "cme" ? CME_TEXT[code] : code === 524 ? "SMS client has been unregistered" : undefined),
    sms: {
      memories: { MT: 0 }, // §10.8: no SMS storage; +CPMS lists only "MT" with capacity 0
      defaultMemory: "MT",
      cmtHeader: (len, originator) => `+CMT: "${originator}",${len}`, // §10.4: TP-OA in quotes, TPDU length
      ack: "always", // §10.6 [IC cnma_set]: every +CMT must be acknowledged
      ackTimeoutMs: o.ackTimeoutMs,
      // [IC cnma_set]: no ack in time → +CNMI mt/ds set to 0 (client unregistered) and this notification.
      ackTimeoutUrcs: ["+CMS ERROR: 524"],
      unexpectedAck: { cms: 302 }, // [IC cnma_set]: errors 300/302 only; nothing owed = "not allowed"
    },
    commands: (ctx) => ({ ...identity(ctx), ...simCommands(), ...networkCommands(o), ...smsCommands() }),
    networkChanged,
  };
}

export const nordicNrf9160: Personality = nordicNrf9160With();
