import { isRegistered } from "../state.js";
import { statOf, clock } from "./network.js";
import { hex, ok, type CommandTable, type Ctx } from "./types.js";

const dash = (v: number | null) => (v === null ? "-" : String(v));

/** Quectel: +QENG="servingcell", +QCSQ, +QLTS (EC25 AT manual formats). */
export const quectelCommands: CommandTable = {
  "+QENG": {
    write: (a, ctx) => {
      if (a.replace(/"/g, "").toLowerCase() !== "servingcell") return { cme: 3 };
      const n = ctx.world.net;
      if (!isRegistered(statOf(ctx, "eps"))) return ok('+QENG: "servingcell","SEARCH"');
      return ok(
        `+QENG: "servingcell","NOCONN","LTE","FDD",${n.mcc},${n.mnc},${hex(n.ci, 7)},${n.pci},${n.earfcn},${n.band},5,5,${hex(n.tac)},` +
          `${dash(n.rsrpDbm)},${dash(n.rsrqDb)},${dash(n.rssiDbm)},${dash(n.sinrDb)},30`,
      );
    },
  },
  "+QCSQ": {
    exec: (_a, ctx) => {
      const n = ctx.world.net;
      if (!isRegistered(statOf(ctx, "eps"))) return ok('+QCSQ: "NOSERVICE"');
      // The LTE SINR here is raw: (dB + 20) * 5.
      const sinr = n.sinrDb === null ? 255 : Math.round((n.sinrDb + 20) * 5);
      return ok(`+QCSQ: "LTE",${dash(n.rssiDbm)},${dash(n.rsrpDbm)},${sinr},${dash(n.rsrqDb)}`);
    },
  },
  "+QLTS": {
    exec: (_a, ctx) => ok(qlts(ctx)),
    write: (a, ctx) => (["0", "1", "2"].includes(a) ? ok(qlts(ctx)) : { cme: 3 }),
  },
};

function qlts(ctx: Ctx): string {
  return ctx.world.net.nitzTzMinutes === null ? '+QLTS: ""' : `+QLTS: "${clock(ctx, 4)},0"`;
}

/** SIMCom: +CPSI? with RSRQ/RSRP/RSSI in tenths of a dB, as SIM7600 firmware prints them. */
export const simcomCommands: CommandTable = {
  "+CPSI": {
    read: (_a, ctx) => {
      const n = ctx.world.net;
      if (!isRegistered(statOf(ctx, "eps"))) return ok("+CPSI: NO SERVICE,Online");
      const tenths = (v: number | null) => (v === null ? "0" : String(Math.round(v * 10)));
      return ok(
        `+CPSI: LTE,Online,${n.mcc}-${n.mnc},0x${hex(n.tac)},${n.ci},${n.pci},EUTRAN-BAND${n.band},${n.earfcn},5,5,` +
          `${tenths(n.rsrqDb)},${tenths(n.rsrpDbm)},${tenths(n.rssiDbm)},${n.sinrDb ?? 0}`,
      );
    },
  },
};
