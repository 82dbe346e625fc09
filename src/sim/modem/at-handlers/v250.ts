import { args, ERROR, ok, OK, simGate, type CommandDef, type CommandTable, type Ctx, type Result } from "./types.js";

/** Which V.250 basic commands a module has (27.007 §4, V.250 §6); the missing ones answer ERROR. */
export interface V250Options {
  /** ATE0/ATE1. */
  echo?: boolean;
  /** ATV1 (ATV0, numeric results, is not simulated: it answers ERROR). */
  verbose?: boolean;
  quiet?: boolean;
  /** ATZ / AT&F / AT&W, each answering OK. */
  reset?: boolean;
  factory?: boolean;
  store?: boolean;
  /** ATI's lines, when the module has ATI. */
  ati?: (ctx: Ctx) => string[];
}

/** The basic commands of V.250 the module has; a bare `AT` always answers OK. */
export function v250(o: V250Options): CommandTable {
  const t: CommandTable = { "": { exec: () => OK } };
  if (o.echo) t.E = { exec: (a, ctx) => flag(a, (v) => (ctx.world.settings.echo = v)) };
  if (o.verbose) t.V = { exec: (a) => (a === "1" || a === "" ? OK : ERROR) };
  if (o.quiet) t.Q = { exec: (a) => (a === "0" || a === "" ? OK : ERROR) };
  if (o.reset) t.Z = { exec: () => OK };
  if (o.factory) t["&F"] = { exec: () => OK };
  if (o.store) t["&W"] = { exec: () => OK };
  const ati = o.ati;
  if (ati) t.I = { exec: (a, ctx) => (a === "" || a === "0" ? ok(...ati(ctx)) : ERROR) };
  return t;
}

function flag(a: string, set: (v: boolean) => void): Result {
  if (a !== "0" && a !== "1" && a !== "") return ERROR;
  set(a === "1");
  return OK;
}

/** An identity command printing `lines` (bare text, or with the module's prefix); `AT+X=?` answers OK. */
export function ident(lines: (ctx: Ctx) => string[]): CommandDef {
  return { exec: (_a, ctx) => ok(...lines(ctx)), test: () => OK };
}

/** +CMEE (27.007 §9.1) with the modes the module accepts. */
export function cmee(modes: ReadonlyArray<0 | 1 | 2>, testLine: string): CommandDef {
  return {
    read: (_a, ctx) => ok(`+CMEE: ${ctx.world.settings.cmee}`),
    test: () => ok(testLine),
    write: (a, ctx) => {
      const n = Number(a);
      if (!(modes as readonly number[]).includes(n) || a === "") return ERROR;
      ctx.world.settings.cmee = n as 0 | 1 | 2;
      return OK;
    },
  };
}

/** +CSCS (27.007 §5.5) with the character sets the module has. */
export function cscs(sets: readonly string[]): CommandDef {
  return {
    read: (_a, ctx) => ok(`+CSCS: "${ctx.world.settings.charset}"`),
    test: () => ok(`+CSCS: (${sets.map((s) => `"${s}"`).join(",")})`),
    write: (a, ctx) => {
      const cs = args(a)[0]!.toUpperCase();
      if (!sets.includes(cs)) return { cme: 4 };
      ctx.world.settings.charset = cs;
      return OK;
    },
  };
}

/** +CPIN (27.007 §8.3): the SIM's state, PIN entry; `quote` for modules that quote the code. */
export function cpin(o: { quote?: boolean; readyUrc?: boolean } = {}): CommandDef {
  const code = (c: string) => (o.quote ? `"${c}"` : c);
  return {
    read: (_a, ctx) => {
      const sim = ctx.world.sim;
      if (!sim.present) return { cme: 10 };
      if (sim.unlocked) return ok(`+CPIN: ${code("READY")}`);
      return ok(`+CPIN: ${code(sim.pinAttemptsLeft > 0 ? "SIM PIN" : "SIM PUK")}`);
    },
    write: (a, ctx) => {
      const r = enterPin(args(a)[0]!, ctx);
      return "ok" in r && o.readyUrc ? { ok: [], urcs: ["+CPIN: READY"] } : r;
    },
  };
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

/** +CIMI (27.007 §5.6): the bare IMSI. */
export function cimi(): CommandDef {
  return { exec: (_a, ctx) => simGate(ctx) ?? ok(ctx.world.sim.imsi), test: () => OK };
}

/**
 * The ICCID as EF_ICCID holds it (TS 102 221 §13.2): BCD digits nibble-swapped, an F filling a
 * 19-digit ICCID. `raw` is how a vendor command prints it digit by digit (F kept).
 */
export function efIccid(iccid: string): { swapped: string; raw: string } {
  const raw = iccid.length % 2 === 1 ? `${iccid}F` : iccid;
  return { raw, swapped: raw.replace(/(.)(.)/g, "$2$1") };
}

/** A vendor ICCID command printing `format(iccid)`; +CME 10 without a SIM. */
export function iccidCommand(format: (iccid: string) => string): CommandDef {
  return { exec: (_a, ctx) => (ctx.world.sim.present ? ok(format(ctx.world.sim.iccid)) : { cme: 10 }), test: () => OK };
}

/**
 * +CRSM (27.007 §8.18): READ BINARY of EF_ICCID (file 12258, what SIM tools read), and READ and
 * UPDATE BINARY of EF_FPLMN (file 28539, 12 bytes). The reply to an update carries an empty
 * response (`+CRSM: 144,0,""`, as a RUT900's module and the nRF91 print it).
 */
export function crsm(): CommandDef {
  return {
    write: (a, ctx) => {
      if (!ctx.world.sim.present) return { cme: 10 };
      const [command, file, p1, p2, p3, data] = args(a);
      if (command === "176" && file === "12258") return ok(`+CRSM: 144,0,"${efIccid(ctx.world.sim.iccid).swapped}"`);
      if (file !== "28539") return ok("+CRSM: 106,130"); // file not found (TS 102 221 §10.2.1.5)
      const length = Number(p3);
      if (p1 !== "0" || p2 !== "0" || !(length >= 1 && length <= FPLMN_BYTES)) return ok(`+CRSM: 108,${FPLMN_BYTES}`); // wrong length
      if (command === "176") return ok(`+CRSM: 144,0,"${efFplmn(ctx.world.sim.fplmn).slice(0, length * 2)}"`);
      if (command !== "214") return ok("+CRSM: 109,0"); // instruction not supported
      if (data === undefined || !new RegExp(`^[0-9A-Fa-f]{${length * 2}}$`).test(data)) return ok("+CRSM: 103,0");
      const kept = efFplmn(ctx.world.sim.fplmn).slice(length * 2);
      ctx.world.sim.fplmn = plmnsOf(data.toUpperCase() + kept);
      return ok('+CRSM: 144,0,""');
    },
    test: () => OK,
  };
}

const FPLMN_BYTES = 12;

/**
 * EF_FPLMN's bytes: three per network as TS 24.008 §10.5.1.13 codes a PLMN identity (MCC digit
 * 2|1, MNC digit 3|MCC digit 3, MNC digit 2|1; an F for a two-digit MNC's third), FF when unused.
 */
export function efFplmn(plmns: readonly string[]): string {
  const triple = (p: string) => {
    const [m1, m2, m3, n1, n2, n3 = "F"] = p.split("");
    return `${m2}${m1}${n3}${m3}${n2}${n1}`;
  };
  return plmns
    .slice(0, FPLMN_BYTES / 3)
    .map(triple)
    .join("")
    .padEnd(FPLMN_BYTES * 2, "F");
}

function plmnsOf(hexText: string): string[] {
  const out: string[] = [];
  for (let i = 0; i + 6 <= hexText.length; i += 6) {
    const t = hexText.slice(i, i + 6);
    if (t === "FFFFFF") continue;
    const [m2, m1, n3, m3, n2, n1] = t.split("");
    out.push(`${m1}${m2}${m3}${n1}${n2}${n3 === "F" ? "" : n3}`);
  }
  return out;
}
