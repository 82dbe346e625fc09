import { isRegistered, type Network } from "../state.js";
import { args, hex, ok, OK, type CommandTable, type Ctx, type Result } from "./types.js";

type Domain = "cs" | "ps" | "eps";
const N_KEY = { cs: "cregN", ps: "cgregN", eps: "ceregN" } as const;
const PREFIX = { cs: "+CREG", ps: "+CGREG", eps: "+CEREG" } as const;

/** Effective <stat> in a domain: nothing while the radio is off or the SIM is locked. */
export function statOf(ctx: Ctx, d: Domain): number {
  if (ctx.world.settings.cfun !== 1 || !ctx.world.sim.present || !ctx.world.sim.unlocked) return 0;
  return ctx.world.net[d];
}

/**
 * A registration line: `read` includes <n>; a URC does not. Location fields follow <n>=2
 * (27.007 §7.2/§10.1.19/§10.1.22), quoted as the personality prints them.
 */
export function registrationLine(ctx: Ctx, d: Domain, form: "read" | "urc"): string | undefined {
  const n = ctx.world.settings[N_KEY[d]];
  if (form === "urc" && n === 0) return undefined;
  const stat = statOf(ctx, d);
  const fields: string[] = form === "read" ? [String(n), String(stat)] : [String(stat)];
  if (n >= 2 && isRegistered(stat)) {
    const net = ctx.world.net;
    const q = (s: string) => (ctx.p.quoteLocation ? `"${s}"` : s);
    fields.push(q(hex(d === "eps" ? net.tac : net.lac)), q(hex(net.ci, d === "cs" ? 4 : 7)), String(net.act));
  }
  return `${PREFIX[d]}: ${fields.join(",")}`;
}

function regCommand(d: Domain) {
  return {
    read: (_a: string, ctx: Ctx) => ok(registrationLine(ctx, d, "read")!),
    test: () => ok(`${PREFIX[d]}: (0-2)`),
    write: (a: string, ctx: Ctx): Result => {
      if (!["0", "1", "2"].includes(a)) return { cme: 3 };
      ctx.world.settings[N_KEY[d]] = Number(a);
      return OK;
    },
  };
}

const radioOn = (ctx: Ctx) => ctx.world.settings.cfun === 1 && ctx.world.sim.present;

/** 27.007 index of a dBm value: +CSQ rssi 0..31 (99 unknown). */
function csqIndex(dbm: number | null): number {
  if (dbm === null) return 99;
  return Math.max(0, Math.min(31, Math.round((dbm + 113) / 2)));
}

function operatorName(net: Network, format: number): string {
  return format === 2 ? `${net.mcc}${net.mnc}` : format === 1 ? net.shortName : net.longName;
}

export const networkCommands: CommandTable = {
  "+CSQ": {
    exec: (_a, ctx) => (radioOn(ctx) ? ok(`+CSQ: ${csqIndex(ctx.world.net.rssiDbm)},99`) : ok("+CSQ: 99,99")),
    test: () => ok("+CSQ: (0-31,99),(0-7,99)"),
  },
  "+CESQ": {
    exec: (_a, ctx) => {
      if (!ctx.p.cesq) return { error: true };
      const net = ctx.world.net;
      const lte = radioOn(ctx) && net.act === 7;
      const rsrq = lte && net.rsrqDb !== null ? Math.round((net.rsrqDb + 20) * 2) : 255;
      const rsrp = lte && net.rsrpDbm !== null ? net.rsrpDbm + 141 : 255;
      return ok(`+CESQ: 99,99,255,255,${rsrq},${rsrp}`);
    },
  },
  "+CREG": regCommand("cs"),
  "+CGREG": regCommand("ps"),
  "+CEREG": regCommand("eps"),
  "+COPS": {
    read: (_a, ctx) => {
      const s = ctx.world.settings;
      if (!isRegistered(statOf(ctx, "eps")) && !isRegistered(statOf(ctx, "cs"))) return ok(`+COPS: ${s.copsMode}`);
      return ok(`+COPS: ${s.copsMode},${s.copsFormat},"${operatorName(ctx.world.net, s.copsFormat)}",${ctx.world.net.act}`);
    },
    write: (a, ctx) => {
      const [mode, format] = args(a);
      if (mode === "3" && ["0", "1", "2"].includes(format ?? "")) {
        ctx.world.settings.copsFormat = Number(format) as 0 | 1 | 2;
        return OK;
      }
      if (mode === "0" || mode === "2") {
        ctx.world.settings.copsMode = Number(mode);
        return OK;
      }
      return { cme: 3 };
    },
    test: (_a, ctx) => {
      const n = ctx.world.net;
      return ok(
        `+COPS: (2,"${n.longName}","${n.shortName}","${n.mcc}${n.mnc}",${n.act}),(1,"AT&T","AT&T","310410",7),,(0,1,2,3,4),(0,1,2)`,
      );
    },
  },
  "+CGATT": {
    read: (_a, ctx) => ok(`+CGATT: ${ctx.world.net.attached && isRegistered(statOf(ctx, "ps")) ? 1 : 0}`),
    write: (a, ctx) => {
      if (a !== "0" && a !== "1") return { cme: 3 };
      ctx.world.net.attached = a === "1";
      return OK;
    },
  },
  // +CGDCONT? shows the configured (static) address, 0.0.0.0 on these modules even while the
  // bearer is up; the address the network gave is read with +CGPADDR, as on the real ones.
  "+CGDCONT": {
    read: (_a, ctx) => ok(...ctx.world.settings.pdp.map((c) => `+CGDCONT: ${c.cid},"${c.type}","${c.apn}","0.0.0.0",0,0,0,0`)),
    write: (a, ctx) => {
      const [cid, type, apn] = args(a);
      if (!/^\d+$/.test(cid ?? "")) return { cme: 3 };
      const pdp = ctx.world.settings.pdp.filter((c) => c.cid !== Number(cid));
      if (type !== undefined) pdp.push({ cid: Number(cid), type, apn: apn ?? "" });
      ctx.world.settings.pdp = pdp.sort((x, y) => x.cid - y.cid);
      return OK;
    },
  },
  "+CGPADDR": {
    exec: (_a, ctx) => ok(...ctx.world.settings.pdp.map((c) => cgpaddrLine(ctx, c.cid))),
    write: (a, ctx) => {
      const cids = args(a).map(Number);
      if (cids.some((c) => !ctx.world.settings.pdp.some((p) => p.cid === c))) return { cme: 3 };
      return ok(...cids.map((c) => cgpaddrLine(ctx, c)));
    },
    test: (_a, ctx) => ok(`+CGPADDR: (${ctx.world.settings.pdp.map((c) => c.cid).join(",")})`),
  },
  "+CCLK": {
    read: (_a, ctx) => ok(`+CCLK: "${clock(ctx, 2)}"`),
  },
};

/** `+CGPADDR: <cid>,<address>`: the default bearer (cid 1) has the network's address while attached. */
function cgpaddrLine(ctx: Ctx, cid: number): string {
  const up = ctx.world.net.attached && isRegistered(statOf(ctx, "ps")) && cid === 1;
  const addr = up ? ctx.world.net.ip : "0.0.0.0";
  return `+CGPADDR: ${cid},${ctx.p.quoteAddress ? `"${addr}"` : addr}`;
}

/** The modem's clock, in the zone the network announced: "yy/MM/dd,hh:mm:ss±zz" (quarter hours). */
export function clock(ctx: Ctx, yearDigits: 2 | 4): string {
  const tz = ctx.world.net.nitzTzMinutes ?? 0;
  const d = new Date(ctx.now() + tz * 60_000);
  const p = (n: number) => String(n).padStart(2, "0");
  const y = yearDigits === 2 ? p(d.getUTCFullYear() % 100) : String(d.getUTCFullYear());
  const q = Math.round(Math.abs(tz) / 15);
  return `${y}/${p(d.getUTCMonth() + 1)}/${p(d.getUTCDate())},${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}${tz < 0 ? "-" : "+"}${p(q)}`;
}
