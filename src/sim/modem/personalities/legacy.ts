import { cgatt, cgdcont, cgpaddr, clock, cops, csq, cesq, cfun, cclk, inService, onLte } from "../at-handlers/network.js";
import {
  ACT_27007,
  registrationCommand,
  registrationUrcs,
  statOf,
  type RegistrationFormat,
} from "../at-handlers/registration.js";
import { cmgd, cmgf, cmgl, cmgr, cmgs, cnma, cnmi, cpms, csca, csms } from "../at-handlers/sms.js";
import { hex, ok, type CommandTable, type Ctx } from "../at-handlers/types.js";
import { cimi, cmee, cpin, crsm, cscs, iccidCommand, ident, v250 } from "../at-handlers/v250.js";
import type { Personality } from "../personality.js";
import { isRegistered, type Network } from "../state.js";

// The two modules cellgate's first simulator knew, kept as they were while the personalities
// written from the vendors' manuals replace them. Not to be extended.

const dash = (v: number | null) => (v === null ? "-" : String(v));

function regFormats(quote: boolean): Record<"cs" | "ps" | "eps", RegistrationFormat> {
  const f = (ciWidth: number): RegistrationFormat => ({ maxN: 2, quote, areaWidth: 4, ciWidth, act: true, actOf: ACT_27007 });
  return { cs: f(4), ps: f(7), eps: f(7) };
}

function common(
  ctx: Ctx,
  o: { quote: boolean; quoteAddress: boolean; cesq: boolean; cgmr: (r: string) => string },
): CommandTable {
  const p = ctx.p;
  const regs = regFormats(o.quote);
  return {
    ...v250({
      echo: true,
      verbose: true,
      quiet: true,
      reset: true,
      factory: true,
      ati: () => [p.manufacturer, p.model, `Revision: ${p.revision}`],
    }),
    "+CGMI": ident(() => [p.manufacturer]),
    "+GMI": ident(() => [p.manufacturer]),
    "+CGMM": ident(() => [p.model]),
    "+GMM": ident(() => [p.model]),
    "+CGMR": ident(() => [o.cgmr(p.revision)]),
    "+GMR": ident(() => [p.revision]),
    "+CGSN": ident(() => [p.imei]),
    "+GSN": ident(() => [p.imei]),
    "+CIMI": cimi(),
    "+CMEE": cmee([0, 1, 2], "+CMEE: (0-2)"),
    "+CSCS": cscs(["GSM", "IRA", "UCS2"]),
    "+CFUN": cfun({ funs: [0, 1, 4], reset: true, test: "+CFUN: (0,1,4),(0-1)" }),
    "+CPIN": cpin(),
    "+CRSM": crsm(),
    "+CSQ": csq(),
    ...(o.cesq ? { "+CESQ": cesq() } : {}),
    "+CREG": registrationCommand("cs", regs.cs),
    "+CGREG": registrationCommand("ps", regs.ps),
    "+CEREG": registrationCommand("eps", regs.eps),
    "+COPS": cops({ actOf: ACT_27007 }),
    "+CGATT": cgatt(),
    "+CGDCONT": cgdcont({ tail: () => ',"0.0.0.0",0,0,0,0', cids: [1, 16] }),
    "+CGPADDR": cgpaddr({ quote: o.quoteAddress, defaultCid: 1 }),
    "+CCLK": cclk(),
    "+CMGF": cmgf({ text: true }),
    "+CSMS": csms(),
    "+CSCA": csca(),
    "+CNMI": cnmi({ test: "+CNMI: (0-2),(0-3),(0,2),(0-2),(0,1)", accepts: (v) => v.every((x) => x >= 0 && x <= 3) }),
    "+CNMA": cnma(),
    "+CPMS": cpms(),
    "+CMGL": cmgl(),
    "+CMGR": cmgr(),
    "+CMGD": cmgd(),
    "+CMGS": cmgs({ maxTpdu: 164 }),
  };
}

const changed = (quote: boolean) => (ctx: Ctx, before: Network) => registrationUrcs(ctx, before, regFormats(quote));

const SMS = {
  ack: "csms1",
  ackTimeoutMs: 15_000,
  ackTimeoutUrcs: [],
  unexpectedAck: { cms: 340 },
  cmtHeader: (len: number) => `+CMT: ,${len}`,
} as const;

export const legacyQuectel: Personality = {
  id: "legacy-quectel",
  title: "Quectel EC25 (first simulator)",
  sources: "cellgate's first simulator",
  manufacturer: "Quectel",
  model: "EC25",
  revision: "EC25EFAR06A03M4G",
  imei: "866834040123452",
  rats: ["lte"],
  bootBanners: ["RDY", "+CFUN: 1", "+CPIN: READY", "+QUSIM: 1", "+QIND: SMS DONE"],
  defaults: { echo: true, cmee: 1 },
  junkBeforeAt: "ignore",
  resets: ["AT+CFUN=1,1"],
  prompt: "> ",
  sms: { ...SMS, memories: { SM: 30, ME: 255 }, defaultMemory: "SM", fullUrc: (m) => `+QIND: "smsfull","${m}"` },
  networkChanged: changed(true),
  commands: (ctx) => ({
    ...common(ctx, { quote: true, quoteAddress: true, cesq: true, cgmr: (r) => r }),
    "+QCCID": iccidCommand((v) => `+QCCID: ${v.length === 19 ? `${v}F` : v}`),
    "+CCID": iccidCommand((v) => `+CCID: ${v}`),
    "+QENG": {
      write: (a, c) => {
        if (a.replace(/"/g, "").toLowerCase() !== "servingcell") return { cme: 3 };
        const n = c.world.net;
        if (!isRegistered(statOf(c, "eps"))) return ok('+QENG: "servingcell","SEARCH"');
        return ok(
          `+QENG: "servingcell","NOCONN","LTE","FDD",${n.mcc},${n.mnc},${hex(n.ci, 7)},${n.pci},${n.earfcn},${n.band},5,5,${hex(n.tac)},` +
            `${dash(n.rsrpDbm)},${dash(n.rsrqDb)},${dash(n.rssiDbm)},${dash(n.sinrDb)},30`,
        );
      },
    },
    "+QCSQ": {
      exec: (_a, c) => {
        const n = c.world.net;
        if (!isRegistered(statOf(c, "eps"))) return ok('+QCSQ: "NOSERVICE"');
        const sinr = n.sinrDb === null ? 255 : Math.round((n.sinrDb + 20) * 5);
        return ok(`+QCSQ: "LTE",${dash(n.rssiDbm)},${dash(n.rsrpDbm)},${sinr},${dash(n.rsrqDb)}`);
      },
    },
    "+QLTS": {
      exec: (_a, c) => ok(qlts(c)),
      write: (a, c) => (["0", "1", "2"].includes(a) ? ok(qlts(c)) : { cme: 3 }),
    },
  }),
};

function qlts(ctx: Ctx): string {
  return ctx.world.net.nitzTzMinutes === null ? '+QLTS: ""' : `+QLTS: "${clock(ctx, 4)},0"`;
}

export const legacySimcom: Personality = {
  id: "legacy-simcom",
  title: "SIMCom SIM7600 (first simulator)",
  sources: "cellgate's first simulator",
  manufacturer: "SIMCOM INCORPORATED",
  model: "SIMCOM_SIM7600G-H",
  revision: "LE20B04SIM7600G22",
  imei: "862636050123452",
  rats: ["lte"],
  bootBanners: ["RDY", "+CPIN: READY", "SMS DONE", "PB DONE"],
  defaults: { echo: true, cmee: 0 },
  junkBeforeAt: "ignore",
  resets: ["AT+CFUN=1,1"],
  prompt: ">",
  sms: { ...SMS, memories: { SM: 30, ME: 30 }, defaultMemory: "SM" },
  networkChanged: changed(false),
  commands: (ctx) => ({
    ...common(ctx, { quote: false, quoteAddress: false, cesq: false, cgmr: (r) => `+CGMR: ${r}` }),
    "+CICCID": iccidCommand((v) => `+ICCID: ${v}`),
    "+CCID": iccidCommand((v) => `+CCID: ${v}`),
    "+CPSI": {
      read: (_a, c) => {
        const n = c.world.net;
        if (!inService(c) || !onLte(n)) return ok("+CPSI: NO SERVICE,Online");
        const tenths = (v: number | null) => (v === null ? "0" : String(Math.round(v * 10)));
        return ok(
          `+CPSI: LTE,Online,${n.mcc}-${n.mnc},0x${hex(n.tac)},${n.ci},${n.pci},EUTRAN-BAND${n.band},${n.earfcn},5,5,` +
            `${tenths(n.rsrqDb)},${tenths(n.rsrpDbm)},${tenths(n.rssiDbm)},${n.sinrDb ?? 0}`,
        );
      },
    },
  }),
};
