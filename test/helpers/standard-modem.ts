import { cesq, cfun, cgatt, cgdcont, cgpaddr, cclk, cops, csq } from "../../src/sim/modem/at-handlers/network.js";
import {
  ACT_27007,
  registrationCommand,
  registrationUrcs,
  type RegistrationFormat,
} from "../../src/sim/modem/at-handlers/registration.js";
import { cmgd, cmgf, cmgl, cmgr, cmgs, cnma, cnmi, cpms, csca, csms } from "../../src/sim/modem/at-handlers/sms.js";
import { cimi, cmee, cpin, cscs, ident, v250 } from "../../src/sim/modem/at-handlers/v250.js";
import type { Personality } from "../../src/sim/modem/index.js";

const REG: RegistrationFormat = { maxN: 5, quote: true, areaWidth: 4, ciWidth: 7, act: true, actOf: ACT_27007 };
const REGS = { cs: { ...REG, maxN: 2 }, ps: { ...REG, maxN: 2 }, eps: REG };

/**
 * A module that does 27.007 and 27.005 by the book and nothing else: the simulator's own tests
 * (the wire, faults, storage) run on it, so that no vendor's quirk is taken for the framework's.
 */
export function standardModem(over: Partial<Personality> = {}): Personality {
  return {
    id: "standard",
    title: "27.007/27.005 by the book",
    sources: "3GPP TS 27.007, TS 27.005, ITU-T V.250",
    manufacturer: "Acme",
    model: "STD-1",
    revision: "STD1.0",
    imei: "490154203237518",
    rats: ["lte"],
    bootBanners: ["RDY", "+CFUN: 1", "+CPIN: READY"],
    defaults: { echo: true, cmee: 1 },
    junkBeforeAt: "ignore",
    resets: ["AT+CFUN=1,1"],
    prompt: "> ",
    sms: {
      memories: { SM: 30, ME: 255 },
      defaultMemory: "SM",
      cmtHeader: (len) => `+CMT: ,${len}`,
      ack: "csms1",
      ackTimeoutMs: 15_000,
      ackTimeoutUrcs: [],
      unexpectedAck: { cms: 340 },
    },
    networkChanged: (ctx, before) => registrationUrcs(ctx, before, REGS),
    commands: (ctx) => ({
      ...v250({ echo: true, verbose: true, quiet: true, reset: true, factory: true, ati: () => ["Acme", "STD-1"] }),
      "+CGMI": ident(() => [ctx.p.manufacturer]),
      "+CGMM": ident(() => [ctx.p.model]),
      "+CGMR": ident(() => [ctx.p.revision]),
      "+CGSN": ident(() => [ctx.p.imei]),
      "+CIMI": cimi(),
      "+CMEE": cmee([0, 1, 2], "+CMEE: (0-2)"),
      "+CSCS": cscs(["GSM", "IRA", "UCS2"]),
      "+CFUN": cfun({ funs: [0, 1, 4], reset: true, test: "+CFUN: (0,1,4),(0,1)" }),
      "+CPIN": cpin(),
      "+CSQ": csq(),
      "+CESQ": cesq(),
      "+CREG": registrationCommand("cs", REGS.cs),
      "+CGREG": registrationCommand("ps", REGS.ps),
      "+CEREG": registrationCommand("eps", REGS.eps),
      "+COPS": cops({ actOf: ACT_27007 }),
      "+CGATT": cgatt(),
      "+CGDCONT": cgdcont({ tail: () => ',"0.0.0.0",0,0,0,0', cids: [1, 16] }),
      "+CGPADDR": cgpaddr({ quote: true, defaultCid: 1 }),
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
    }),
    ...over,
  };
}
