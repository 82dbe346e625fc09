import { args, ERROR, ok, OK, simGate, type CommandTable, type Ctx, type Result } from "./types.js";

const ident = (value: (ctx: Ctx) => string) => ({ exec: (_: string, ctx: Ctx) => ok(value(ctx)), test: () => OK });

/** Identity, echo, error reporting, functionality, SIM lock and ICCID. */
export const basicCommands: CommandTable = {
  "": { exec: () => OK },
  E: { exec: (a, ctx) => setFlag(a, (v) => (ctx.world.settings.echo = v)) },
  V: { exec: (a) => (a === "1" || a === "" ? OK : ERROR) }, // V0 (numeric result codes) is not simulated
  Q: { exec: (a) => (a === "0" || a === "" ? OK : ERROR) },
  Z: { exec: () => OK },
  "&F": { exec: () => OK },
  I: { exec: (_a, ctx) => ok(ctx.p.manufacturer, ctx.p.model, `Revision: ${ctx.p.revision}`) },
  "+CGMI": ident((c) => c.p.manufacturer),
  "+GMI": ident((c) => c.p.manufacturer),
  "+CGMM": ident((c) => c.p.model),
  "+GMM": ident((c) => c.p.model),
  "+CGMR": ident((c) => (c.p.name === "simcom" ? `+CGMR: ${c.p.revision}` : c.p.revision)),
  "+GMR": ident((c) => c.p.revision),
  "+CGSN": ident((c) => c.p.imei),
  "+GSN": ident((c) => c.p.imei),
  "+CIMI": { exec: (_a, ctx) => simGate(ctx) ?? ok(ctx.world.sim.imsi) },
  "+CMEE": {
    read: (_a, ctx) => ok(`+CMEE: ${ctx.world.settings.cmee}`),
    test: () => ok("+CMEE: (0-2)"),
    write: (a, ctx) => (["0", "1", "2"].includes(a) ? ((ctx.world.settings.cmee = Number(a) as 0 | 1 | 2), OK) : { cme: 3 }),
  },
  "+CSCS": {
    read: (_a, ctx) => ok(`+CSCS: "${ctx.world.settings.charset}"`),
    test: () => ok('+CSCS: ("GSM","IRA","UCS2")'),
    write: (a, ctx) => {
      const cs = args(a)[0]!.toUpperCase();
      if (!["GSM", "IRA", "UCS2"].includes(cs)) return { cme: 3 };
      ctx.world.settings.charset = cs;
      return OK;
    },
  },
  "+CFUN": {
    read: (_a, ctx) => ok(`+CFUN: ${ctx.world.settings.cfun}`),
    test: () => ok("+CFUN: (0,1,4),(0-1)"),
    write: (a, ctx) => {
      const [fun, rst] = args(a);
      if (rst === "1") return { reboot: true };
      if (!["0", "1", "4"].includes(fun!)) return { cme: 3 };
      ctx.world.settings.cfun = Number(fun);
      return OK;
    },
  },
  "+CPIN": {
    read: (_a, ctx) => {
      const sim = ctx.world.sim;
      if (!sim.present) return { cme: 10 };
      if (sim.unlocked) return ok("+CPIN: READY");
      return ok(sim.pinAttemptsLeft > 0 ? "+CPIN: SIM PIN" : "+CPIN: SIM PUK");
    },
    write: (a, ctx) => enterPin(args(a)[0]!, ctx),
  },
};

/** ICCID commands exist per personality (+QCCID on Quectel, +CICCID on SIMCom). */
export function iccidCommands(ctx: Ctx): CommandTable {
  const table: CommandTable = {};
  for (const [name, fmt] of Object.entries(ctx.p.iccid)) {
    table[name] = { exec: () => (ctx.world.sim.present ? ok(fmt(ctx.world.sim.iccid)) : { cme: 10 }) };
  }
  return table;
}

function setFlag(a: string, set: (v: boolean) => void): Result {
  if (a !== "0" && a !== "1" && a !== "") return ERROR;
  set(a === "1");
  return OK;
}

function enterPin(pin: string, ctx: Ctx): Result {
  const sim = ctx.world.sim;
  if (!sim.present) return { cme: 10 };
  if (sim.unlocked) return { cme: 3 };
  if (sim.pinAttemptsLeft <= 0) return { cme: 12 };
  if (pin !== sim.pin) {
    sim.pinAttemptsLeft--;
    return { cme: 16 };
  }
  sim.unlocked = true;
  return OK;
}
