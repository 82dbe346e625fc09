import { attached, bearerAddress } from "../at-handlers/network.js";
import { args, ERROR, ok, OK, type CommandDef, type Ctx } from "../at-handlers/types.js";

// The commands that start a module's own network interface (the bearer cellgate brings up in
// `link.bearer: module`), each from its fact sheet in docs/modems/. The simulation records that
// the interface was started; data passes when the default bearer does (at-handlers/network.ts).

/**
 * +CGEREP (27.007 §10.1.19): <mode> 0–2, <bfr> 0/1; +CGEV URCs follow once <mode> is 1 or 2.
 * EC25 §10.12: test `+CGEREP: (0-2),(0,1)`, default 0,0.
 */
export function cgerep(test: string): CommandDef {
  return {
    read: (_a, c) => ok(`+CGEREP: ${c.world.settings.cgerep},${c.world.settings.vendor.cgerepBfr ?? 0}`),
    write: (a, c) => {
      const [mode, bfr = "0"] = args(a);
      if (!/^[0-2]$/.test(mode ?? "") || !/^[01]$/.test(bfr)) return ERROR;
      c.world.settings.cgerep = Number(mode);
      c.world.settings.vendor.cgerepBfr = Number(bfr);
      return OK;
    },
    test: () => ok(test),
  };
}

/**
 * Quectel AT+QNETDEVCTL=<op>,<cid>[,<urc_en>]: op 1 connects the ECM/RNDIS interface on <cid>,
 * 0 disconnects [not in the EC2x AT manual: Quectel's ECM/RNDIS application notes and the scripts
 * that use `AT+QNETDEVCTL=1,1,1`; the URC it enables is not simulated]. Refused while detached.
 */
export function qnetdevctl(): CommandDef {
  return {
    write: (a, ctx) => {
      const [op, cid, urc = "0"] = args(a);
      if (!/^[0-3]$/.test(op ?? "") || !/^\d+$/.test(cid ?? "") || !/^[01]$/.test(urc)) return ERROR;
      if (op !== "0" && !attached(ctx)) return { cme: 30 };
      ctx.world.settings.vendor.netdev = op === "0" ? 0 : Number(cid);
      return OK;
    },
  };
}

/**
 * AT$QCRMCALL=<action>,<instance>[,<IP_type>[,<tech_pref>[,<profile_num>]]] (Quectel EC25 §10.17;
 * SIMCom SIM7600 in docs/modems/simcom-sim7600.md): 1 starts the RmNet call and answers
 * `$QCRMCALL: 1,V4`, 0 stops it; the read form shows the running call.
 */
export function qcrmcall(defaultCid: number): CommandDef {
  const running = (ctx: Ctx) =>
    ctx.world.settings.vendor.qcrmcall === 1 && bearerAddress(ctx, defaultCid, defaultCid) !== undefined;
  return {
    read: (_a, ctx) => (running(ctx) ? ok("$QCRMCALL: 1,V4") : OK),
    write: (a, ctx) => {
      const [action, instance] = args(a);
      if (!/^[01]$/.test(action ?? "") || !/^\d+$/.test(instance ?? "")) return ERROR;
      if (action === "0") {
        ctx.world.settings.vendor.qcrmcall = 0;
        return OK;
      }
      if (!attached(ctx)) return { cme: 30 };
      ctx.world.settings.vendor.qcrmcall = 1;
      return ok("$QCRMCALL: 1,V4");
    },
  };
}

/**
 * Telit AT#ECM=<cid>,<did> sets up the ECM connection on <cid> [not read in the manual: the form
 * used by public LE910 scripts, `AT#ECM=1,0`]; the read form answers `#ECM: <did>,<state>`.
 */
export function telitEcm(): CommandDef {
  return {
    read: (_a, ctx) => ok(`#ECM: 0,${ctx.world.settings.vendor.ecm === 1 && attached(ctx) ? 1 : 0}`),
    write: (a, ctx) => {
      const [cid, did] = args(a);
      if (!/^\d+$/.test(cid ?? "") || !/^\d+$/.test(did ?? "")) return ERROR;
      if (!attached(ctx)) return { cme: 30 };
      ctx.world.settings.vendor.ecm = 1;
      return OK;
    },
  };
}
