import { isRegistered, type Network, type SimRat } from "../state.js";
import { statOf } from "./registration.js";
import { args, ERROR, ok, OK, radioOn, type CommandDef, type Ctx, type Result } from "./types.js";

/** Registered in the domain that carries the radio in service (EPS for LTE radios, else CS). */
export function inService(ctx: Ctx): boolean {
  return isRegistered(statOf(ctx, "eps")) || isRegistered(statOf(ctx, "cs"));
}

const LTE_FAMILY: readonly SimRat[] = ["lte", "lte-m", "nb-iot"];
export const onLte = (net: Network) => LTE_FAMILY.includes(net.rat);

/** 27.007 §8.5 <rssi> of a dBm value: 0 ≤ −113, 31 ≥ −51, 99 unknown. */
export function csqIndex(dbm: number | null): number {
  if (dbm === null) return 99;
  return Math.max(0, Math.min(31, Math.round((dbm + 113) / 2)));
}

/** +CSQ (27.007 §8.5). `noLteRssi`: the module reports 99 on LTE (some only measure 2G/3G this way). */
export function csq(o: { noLteRssi?: boolean } = {}): CommandDef {
  return {
    exec: (_a, ctx) => {
      const net = ctx.world.net;
      if (!radioOn(ctx) || !inService(ctx) || (o.noLteRssi && onLte(net))) return ok("+CSQ: 99,99");
      return ok(`+CSQ: ${csqIndex(net.rssiDbm)},99`);
    },
    test: () => ok("+CSQ: (0-31,99),(0-7,99)"),
  };
}

/** +CESQ (27.007 §8.69): rxlev,ber,rscp,ecno,rsrq,rsrp — only the serving radio's fields are known. */
export function cesq(): CommandDef {
  return {
    exec: (_a, ctx) => {
      const net = ctx.world.net;
      const lte = radioOn(ctx) && inService(ctx) && onLte(net);
      const rsrq = lte && net.rsrqDb !== null ? clamp(Math.round((net.rsrqDb + 20) * 2), 0, 34) : 255;
      const rsrp = lte && net.rsrpDbm !== null ? clamp(net.rsrpDbm + 141, 0, 97) : 255;
      const gsm = radioOn(ctx) && inService(ctx) && net.rat === "gsm" && net.rssiDbm !== null;
      const rxlev = gsm ? clamp(net.rssiDbm! + 111, 0, 63) : 99;
      return ok(`+CESQ: ${rxlev},99,255,255,${rsrq},${rsrp}`);
    },
    test: () => ok("+CESQ: (0-63,99),(0-7,99),(0-96,255),(0-49,255),(0-34,255),(0-97,255)"),
  };
}

export const clamp = (v: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, v));

function operatorName(net: Network, format: number): string {
  return format === 2 ? `${net.mcc}${net.mnc}` : format === 1 ? net.shortName : net.longName;
}

/**
 * +COPS (27.007 §7.3): modes 0/2/3, the formats, and 1 (manual) with a numeric operator; `actOf`
 * is the module's <AcT>. The list shows a forbidden network as <stat> 3.
 */
export function cops(o: { actOf: (rat: SimRat) => number; around?: (ctx: Ctx, write: () => Result) => Result }): CommandDef {
  const def: CommandDef = {
    read: (_a, ctx) => {
      const s = ctx.world.settings;
      if (!inService(ctx)) return ok(`+COPS: ${s.copsMode}`);
      const net = ctx.world.net;
      return ok(`+COPS: ${s.copsMode},${s.copsFormat},"${operatorName(net, s.copsFormat)}",${o.actOf(net.rat)}`);
    },
    write: (a, ctx) => {
      const [mode, format] = args(a);
      if (mode === "3" && ["0", "1", "2"].includes(format ?? "")) {
        ctx.world.settings.copsFormat = Number(format) as 0 | 1 | 2;
        return OK;
      }
      if (mode === "0" || mode === "2") {
        ctx.world.settings.copsMode = Number(mode);
        ctx.world.net.selected = null;
        return OK;
      }
      const oper = args(a)[2];
      if (mode === "1" && format === "2" && /^\d{5,6}$/.test(oper ?? "")) {
        ctx.world.settings.copsMode = 1;
        ctx.world.net.selected = oper!;
        return OK;
      }
      return { cme: 3 };
    },
    test: (_a, ctx) => {
      const n = ctx.world.net;
      const act = o.actOf(n.rat);
      const stat = n.forbidden.includes(`${n.mcc}${n.mnc}`) ? 3 : 2;
      return ok(`+COPS: (${stat},"${n.longName}","${n.shortName}","${n.mcc}${n.mnc}",${act}),,(0,1,2,3,4),(0,1,2)`);
    },
  };
  const { around } = o;
  return around ? { ...def, write: (a, ctx) => around(ctx, () => def.write!(a, ctx)) } : def;
}

/** +CGATT (27.007 §10.1.9). */
export function cgatt(): CommandDef {
  return {
    read: (_a, ctx) => ok(`+CGATT: ${attached(ctx) ? 1 : 0}`),
    write: (a, ctx) => {
      if (a !== "0" && a !== "1") return ERROR;
      const net = ctx.world.net;
      // A new attach brings a new default bearer: a dropped context is back; a stale or blackholed path is not.
      if (a === "1" && !net.attached && net.dataFault === "context-dropped") net.dataFault = "none";
      net.attached = a === "1";
      if (a === "0") net.otherActive = []; // a detach deactivates every context (27.007 §10.1.9)
      return OK;
    },
    test: () => ok("+CGATT: (0,1)"),
  };
}

/** Attached to the packet domain: registered in EPS (LTE radios) or PS, and not detached. */
export function attached(ctx: Ctx): boolean {
  const net = ctx.world.net;
  return net.attached && (isRegistered(statOf(ctx, "eps")) || isRegistered(statOf(ctx, "ps")));
}

/** The default bearer the network activates at attach, and the address it has (none once the context dropped). */
export function bearerAddress(ctx: Ctx, cid: number, defaultCid: number): string | undefined {
  if (!attached(ctx)) return undefined;
  // Another context the host activated: an address of its own (its network is not the default's).
  if (cid !== defaultCid) return ctx.world.net.otherActive.includes(cid) ? `10.170.${cid}.2` : undefined;
  return ctx.world.net.dataFault !== "context-dropped" ? ctx.world.net.ip : undefined;
}

/** Data passes: radio on, attached, the default bearer up and nothing wrong with the path. */
export function dataFlows(ctx: Ctx): boolean {
  return radioOn(ctx) && attached(ctx) && ctx.world.net.dataFault === "none";
}

/**
 * The radio switched (+CFUN): flight mode (4) drops the bearer and the network's view of it, so a
 * dropped context and a stale address are gone when it comes back; minimum functionality (0)
 * also powers the baseband's data path down (a blackholed path too: the nRF91's reset is this);
 * an invalid USIM is tried again after either, and a search that was stuck starts anew. Back on
 * from either, the module reads EF_FPLMN anew.
 */
export function radioSwitched(ctx: Ctx, fun: number, was: number): void {
  const net = ctx.world.net;
  if (fun === 1 && was !== 1) net.forbidden = [...ctx.world.sim.fplmn];
  if (fun !== 0 && fun !== 4) return;
  net.otherActive = [];
  if (net.dataFault === "context-dropped" || net.dataFault === "stale-address" || fun === 0) net.dataFault = "none";
  if (net.simInvalidUntilCfun || net.searchingUntilCfun) {
    net.simInvalidUntilCfun = false;
    net.searchingUntilCfun = false;
    net.eps = 5;
    net.ps = 5;
    net.rejectCause = null;
  }
}

/**
 * +CGDCONT (27.007 §10.1.1). `tail` is what follows <APN> in the read reply (the address the
 * module shows, then compression and the rest of its fields), e.g. `"0.0.0.0",0,0,0,0`.
 */
export function cgdcont(o: { tail: (ctx: Ctx, cid: number) => string; cids: [number, number]; test?: string }): CommandDef {
  return {
    read: (_a, ctx) => ok(...ctx.world.settings.pdp.map((c) => `+CGDCONT: ${c.cid},"${c.type}","${c.apn}"${o.tail(ctx, c.cid)}`)),
    write: (a, ctx) => {
      const [cid, type, apn] = args(a);
      const n = Number(cid);
      if (!/^\d+$/.test(cid ?? "") || n < o.cids[0] || n > o.cids[1]) return ERROR;
      if (type !== undefined && !["IP", "IPV6", "IPV4V6", "PPP", "NON-IP"].includes(type.toUpperCase())) return ERROR;
      const pdp = ctx.world.settings.pdp.filter((c) => c.cid !== n);
      if (type !== undefined) pdp.push({ cid: n, type: type.toUpperCase(), apn: apn ?? "" });
      ctx.world.settings.pdp = pdp.sort((x, y) => x.cid - y.cid);
      return OK;
    },
    ...(o.test !== undefined ? { test: () => ok(o.test!) } : {}),
  };
}

/** +CGPADDR (27.007 §10.1.14): `<cid>,<address>` per defined context; `quote` the address or not. */
export function cgpaddr(o: { quote: boolean; defaultCid: number; onlyActive?: boolean }): CommandDef {
  const line = (ctx: Ctx, cid: number) => {
    const addr = bearerAddress(ctx, cid, o.defaultCid) ?? "0.0.0.0";
    return `+CGPADDR: ${cid},${o.quote ? `"${addr}"` : addr}`;
  };
  const cids = (ctx: Ctx) =>
    ctx.world.settings.pdp.map((c) => c.cid).filter((c) => !o.onlyActive || bearerAddress(ctx, c, o.defaultCid) !== undefined);
  return {
    exec: (_a, ctx) => ok(...cids(ctx).map((c) => line(ctx, c))),
    write: (a, ctx) => {
      const want = args(a).map(Number);
      if (want.some((c) => !ctx.world.settings.pdp.some((p) => p.cid === c))) return ERROR;
      return ok(...want.map((c) => line(ctx, c)));
    },
    test: (_a, ctx) => ok(`+CGPADDR: (${ctx.world.settings.pdp.map((c) => c.cid).join(",")})`),
  };
}

/** +CGACT? (27.007 §10.1.10): the default bearer is active while attached. */
export function cgact(o: { defaultCid: number }): CommandDef {
  return {
    read: (_a, ctx) =>
      ok(...ctx.world.settings.pdp.map((c) => `+CGACT: ${c.cid},${bearerAddress(ctx, c.cid, o.defaultCid) ? 1 : 0}`)),
    write: (a, ctx) => {
      const [state, ...cids] = args(a);
      if (state !== "0" && state !== "1") return ERROR;
      if (!ctx.world.net.attached) return { cme: 30 };
      const mine = cids.length === 0 || cids.includes(String(o.defaultCid));
      const net = ctx.world.net;
      if (mine && state === "1" && net.dataFault === "context-dropped") net.dataFault = "none";
      if (mine && state === "0") net.dataFault = "context-dropped";
      // 27.007 §10.1.10: without <cid> all defined contexts; a cid that is not defined is an error.
      const defined = ctx.world.settings.pdp.map((c) => c.cid);
      const others = (cids.length === 0 ? defined.map(String) : cids).map(Number).filter((c) => c !== o.defaultCid);
      if (others.some((c) => !defined.includes(c))) return ERROR;
      const rest = net.otherActive.filter((c) => !others.includes(c));
      net.otherActive = state === "1" ? [...rest, ...others] : rest;
      return OK;
    },
    test: () => ok("+CGACT: (0,1)"),
  };
}

/** +CFUN (27.007 §9.1 of the module's list): `reset` is the <rst>=1 form, when the module has it. */
export function cfun(o: {
  funs: readonly number[];
  reset: boolean;
  test: string;
  after?: (ctx: Ctx, fun: number) => void;
}): CommandDef {
  return {
    read: (_a, ctx) => ok(`+CFUN: ${ctx.world.settings.cfun}`),
    test: () => ok(o.test),
    write: (a, ctx): Result => {
      const [fun, rst] = args(a);
      if (rst === "1" && o.reset && fun === "1") return { reboot: true };
      const n = Number(fun);
      if (fun === "" || !o.funs.includes(n) || (rst !== undefined && rst !== "0")) return ERROR;
      const was = ctx.world.settings.cfun;
      ctx.world.settings.cfun = n;
      radioSwitched(ctx, n, was);
      o.after?.(ctx, n);
      return OK;
    },
  };
}

/** The modem's clock in the zone the network announced: `yy/MM/dd,hh:mm:ss±zz` (quarter hours, 27.007 §8.15). */
export function clock(ctx: Ctx, yearDigits: 2 | 4): string {
  const tz = ctx.world.net.nitzTzMinutes ?? 0;
  const d = new Date(ctx.now() + tz * 60_000);
  const p = (n: number) => String(n).padStart(2, "0");
  const y = yearDigits === 2 ? p(d.getUTCFullYear() % 100) : String(d.getUTCFullYear());
  const q = Math.round(Math.abs(tz) / 15);
  const date = `${y}/${p(d.getUTCMonth() + 1)}/${p(d.getUTCDate())}`;
  const time = `${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
  return `${date},${time}${tz < 0 ? "-" : "+"}${p(q)}`;
}

/** +CCLK? (27.007 §8.15); `neverSet`: what it answers before NITZ or a set (an ERROR on some modules). */
export function cclk(o: { neverSet?: Result } = {}): CommandDef {
  return {
    read: (_a, ctx) => (ctx.world.net.nitzTzMinutes === null && o.neverSet ? o.neverSet : ok(`+CCLK: "${clock(ctx, 2)}"`)),
  };
}
