import { isRegistered, selectionBars, type Network, type SimRat } from "../state.js";
import { ERROR, hex, ok, OK, type CommandDef, type Ctx, type Result } from "./types.js";

export type Domain = "cs" | "ps" | "eps";
const N_KEY = { cs: "cregN", ps: "cgregN", eps: "ceregN" } as const;
const PREFIX = { cs: "+CREG", ps: "+CGREG", eps: "+CEREG" } as const;

/** How one module prints one registration command (27.007 §7.2, §10.1.20, §10.1.22). */
export interface RegistrationFormat {
  /** The highest <n> it accepts (0–2 on most, 4 or 5 where it reports PSM timers). */
  maxN: number;
  /** Quote the area code and cell id (`"2D18"` vs `2D18`). */
  quote: boolean;
  /** Digits the area code and the cell id are padded to (0: no padding). */
  areaWidth: number;
  ciWidth: number;
  lowerHex?: boolean;
  /** <AcT> after the cell id (27.007 makes it optional). */
  act: boolean;
  /** The module's <AcT> for a radio. */
  actOf: (rat: SimRat) => number;
  /** The radios this domain reports; in the others it reads 0 (not registered, not searching). */
  rats?: readonly SimRat[];
}

/** 27.007 <AcT>: 0 GSM, 2 UTRAN, 7 E-UTRAN, 9 E-UTRAN NB-S1. LTE-M is E-UTRAN (7) unless a module says otherwise. */
export const ACT_27007 = (rat: SimRat): number => ({ gsm: 0, umts: 2, lte: 7, "lte-m": 7, "nb-iot": 9 })[rat];

/** Effective <stat> in a domain: nothing while the radio is off, the SIM is locked, or the domain does not carry the radio. */
export function statOf(ctx: Ctx, d: Domain, fmt?: RegistrationFormat): number {
  const w = ctx.world;
  if (w.settings.cfun !== 1 || !w.sim.present || !w.sim.unlocked) return 0;
  if (fmt?.rats !== undefined && !fmt.rats.includes(w.net.rat)) return 0;
  // Rejected by the network chosen by hand, or not trying the forbidden one: denied (EMM #11, PLMN not allowed).
  if (selectionBars(w) && w.net[d] !== 0) return 3;
  return w.net[d];
}

/**
 * A registration line: `read` starts with <n>, a URC does not. What follows <stat> depends on
 * <n>: location at 2+, the reject cause at 3 and 5, the PSM timers at 4 and 5 (27.007 §10.1.22).
 */
export function registrationLine(ctx: Ctx, d: Domain, form: "read" | "urc", fmt: RegistrationFormat): string | undefined {
  const n = ctx.world.settings[N_KEY[d]];
  if (form === "urc" && n === 0) return undefined;
  const net = ctx.world.net;
  const stat = statOf(ctx, d, fmt);
  const fields: string[] = form === "read" ? [String(n), String(stat)] : [String(stat)];
  const registered = isRegistered(stat);
  const location = registered ? locationFields(net, d, fmt) : ["", "", ""];
  const cause = n === 3 || n === 5 ? causeFields(net, stat, selectionBars(ctx.world)) : ["", ""];
  const psm = n >= 4 && registered && net.psm !== null ? [`"${net.psm.activeTime}"`, `"${net.psm.periodicTau}"`] : [];
  if (n >= 2) fields.push(...location, ...cause, ...psm);
  // Trailing empty fields are left out, as modules print them.
  const keep = form === "read" ? 2 : 1;
  while (fields.length > keep && fields[fields.length - 1] === "") fields.pop();
  return `${PREFIX[d]}: ${fields.join(",")}`;
}

function locationFields(net: Network, d: Domain, fmt: RegistrationFormat): string[] {
  const h = (v: number, width: number) => {
    const t = hex(v, width);
    return fmt.lowerHex ? t.toLowerCase() : t;
  };
  const q = (s: string) => (fmt.quote ? `"${s}"` : s);
  const area = q(h(d === "eps" ? net.tac : net.lac, fmt.areaWidth));
  const ci = q(h(net.ci, fmt.ciWidth));
  return fmt.act ? [area, ci, String(fmt.actOf(net.rat))] : [area, ci];
}

function causeFields(net: Network, stat: number, barred: boolean): string[] {
  const cause = barred ? 11 : net.rejectCause;
  return stat === 3 && cause !== null ? ["0", String(cause)] : ["", ""];
}

/** AT+CxREG? / =<n> / =? for one domain. */
export function registrationCommand(d: Domain, fmt: RegistrationFormat): CommandDef {
  return {
    read: (_a, ctx) => ok(registrationLine(ctx, d, "read", fmt)!),
    test: () => ok(`${PREFIX[d]}: (0-${fmt.maxN})`),
    write: (a, ctx): Result => {
      const n = a === "" ? 0 : Number(a);
      if (!/^\d?$/.test(a) || n > fmt.maxN) return ERROR;
      ctx.world.settings[N_KEY[d]] = n;
      return OK;
    },
  };
}

/** Evaluates `f` as if the network were still `net` (to compare a URC's old and new text). */
export function onNetwork<T>(ctx: Ctx, net: Network, f: () => T): T {
  const now = ctx.world.net;
  ctx.world.net = net;
  try {
    return f();
  } finally {
    ctx.world.net = now;
  }
}

/** The registration URCs a change of the network causes, per domain and its <n>. */
export function registrationUrcs(ctx: Ctx, before: Network, fmts: Partial<Record<Domain, RegistrationFormat>>): string[] {
  const out: string[] = [];
  for (const [d, fmt] of Object.entries(fmts) as Array<[Domain, RegistrationFormat]>) {
    const was = onNetwork(ctx, before, () => registrationLine(ctx, d, "urc", fmt));
    const is = registrationLine(ctx, d, "urc", fmt);
    if (is !== undefined && is !== was) out.push(is);
  }
  return out;
}
