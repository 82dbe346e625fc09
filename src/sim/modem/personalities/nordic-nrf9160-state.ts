// The nRF9160 personality's view of its own state (nordic-nrf9160.ts has the sources' key): the
// radio's EPS-only service, the UICC's power-up, the one AT SMS client, and the gates its
// commands pass through.
import { clamp } from "../at-handlers/network.js";
import { statOf, type RegistrationFormat } from "../at-handlers/registration.js";
import { radioOn, type CommandDef, type Ctx, type Result } from "../at-handlers/types.js";
import { isRegistered, type SimRat } from "../state.js";

/** §8.1.2, §8.10.2, §8.15: AcT 7 = E-UTRAN (LTE-M), 9 = E-UTRAN NB-S1 (NB-IoT). */
export const actOf = (rat: SimRat): number => (rat === "nb-iot" ? 9 : 7);

/** §8.10: +CEREG n 0–5; tac "002F" (4 hex), ci "0012BEEF" (8 hex), quoted, upper case; AcT always present. */
export const CEREG: RegistrationFormat = {
  maxN: 5,
  quote: true,
  areaWidth: 4,
  ciWidth: 8,
  act: true,
  actOf,
  rats: ["lte-m", "nb-iot"],
};

/** The CFUN values of `AT+CFUN=?` (§5.1). */
export const FUNS = [0, 1, 4, 20, 21, 30, 31, 40, 41, 44];

/** Vendor settings keys (volatile: a reset clears them, §5 "not persistent"). */
export const UICC_READY_AT = "uiccReadyAt"; // when the UICC finished initialising; absent = UICC off
export const XSIM = "xsim";
export const CESQ_URC = "cesq";
export const SYSTEM_MODE = "xsystemmode";
export const PSM = "cpsms";
/** The %MDMEV subscription (1.3.x); removed by a reset or +CFUN=0 [nWP042 activation page]. */
export const MDMEV = "mdmev";

export const served = (ctx: Ctx) => isRegistered(statOf(ctx, "eps", CEREG));

/** The module has no CS/PS domain: the shared 27.007 handlers must judge service by EPS alone. */
export function epsView(ctx: Ctx): Ctx {
  return { ...ctx, world: { ...ctx.world, net: { ...ctx.world.net, cs: 0, ps: 0 } } };
}

export function wrap(def: CommandDef, forms: ReadonlyArray<keyof CommandDef>, f: (ctx: Ctx) => Ctx | Result): CommandDef {
  const out: CommandDef = { ...def };
  for (const form of forms) {
    const h = def[form];
    if (h === undefined) continue;
    out[form] = (a, ctx) => {
      const r = f(ctx);
      return "world" in r ? h(a, r) : r;
    };
  }
  return out;
}
export const ALL: ReadonlyArray<keyof CommandDef> = ["exec", "read", "write", "test"];
export const epsOnly = (def: CommandDef, forms = ALL) => wrap(def, forms, epsView);
export const gated = (def: CommandDef, gate: (ctx: Ctx) => Result | undefined, forms = ALL) =>
  wrap(def, forms, (c) => gate(c) ?? c);

export function uiccState(ctx: Ctx): "off" | "init" | "ready" {
  const at = ctx.world.settings.vendor[UICC_READY_AT];
  if (typeof at !== "number") return "off";
  return ctx.now() >= at ? "ready" : "init";
}

/**
 * SIM commands while the UICC is off (CFUN 0/4/40) or initialising after CFUN=1 (§5.1.1). A log shows
 * plain ERROR for +CPIN? here [TinyGSM #486, at +CMEE 0]; the code is 27.007's "SIM busy" (14), which
 * +CMEE 0 prints as that ERROR [27.007: the sheet does not give the +CMEE 1 form].
 */
export const uiccGate = (ctx: Ctx): Result | undefined => (uiccState(ctx) === "ready" ? undefined : { cme: 14 });

/** §10.2: the one AT SMS client is registered while +CNMI routes (mt 2); +CMGF/+CMGS/+CNMA need it. */
export const smsClient = (ctx: Ctx) => ctx.world.settings.cnmi[1] === 2;
// Errors for an unregistered client: 302 "not allowed" [IC text_mode/cnma_set; applied to +CMGF/+CMGS, inferred].
export const clientGate = (ctx: Ctx): Result | undefined => (smsClient(ctx) ? undefined : { cms: 302 });

/** 27.007 §8.69 indices (as the +CESQ handler): rsrp 0–97, rsrq 0–34, 255 unknown; snr §8.15: dB + 24, 127 unknown. */
export function signal(ctx: Ctx): { rsrp: number; rsrq: number; snr: number } {
  const n = ctx.world.net;
  const on = radioOn(ctx) && served(ctx);
  return {
    rsrp: on && n.rsrpDbm !== null ? clamp(n.rsrpDbm + 141, 0, 97) : 255,
    rsrq: on && n.rsrqDb !== null ? clamp(Math.round((n.rsrqDb + 20) * 2), 0, 34) : 255,
    snr: on && n.sinrDb !== null ? clamp(Math.round(n.sinrDb + 24), 0, 49) : 127,
  };
}
