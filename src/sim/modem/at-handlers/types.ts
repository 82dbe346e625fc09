import type { Personality } from "../personality.js";
import type { Memory, SmsStore } from "../sms-store.js";
import type { ModemWorld } from "../state.js";

/** What a command handler answers. */
export type Result =
  /** Information lines, then OK; `urcs` are sent after the OK (a +CPIN: READY after the PIN). */
  | { ok: string[]; urcs?: string[] }
  | { cme: number }
  | { cms: number }
  /** Plain ERROR whatever +CMEE says (unknown command, bad syntax). */
  | { error: true }
  /** The SMS prompt (or, on a module without one, the PDU right after the line): ESC cancels. */
  | { prompt: (payload: string) => Result }
  /** OK, then the modem restarts. */
  | { reboot: true };

export interface SentSms {
  /** PDU hex as written after the prompt (PDU mode), or the text (text mode). */
  pdu?: string;
  text?: { to: string; body: string };
  /** The TP-Message-Reference the modem answered with. */
  mr: number;
}

/** What a handler may read and do: the world, the module's description, and the effects it may cause. */
export interface Ctx {
  world: ModemWorld;
  p: Personality;
  store: SmsStore;
  /** +CPMS <mem1> (read/delete), <mem2> (write/send), <mem3> (receive). */
  mems: [Memory, Memory, Memory];
  now(): number;
  nextMr(): number;
  sent: SentSms[];
  /** Called when an MO SMS left (+CMGS answered): the network side may act on it. */
  smsSent(sms: SentSms): void;
  /** Called after messages were deleted: the network may deliver what it was holding. */
  storageFreed(): void;
  /** +CNMA arrived: true when an acknowledgement was owed (the network stops waiting). */
  acknowledge(positive: boolean): boolean;
  /** +CNMI changed: a module that routes again may take what the network held. */
  routingChanged(): void;
  /** A URC now (after the answer being built, when one is). */
  urc(line: string, ...trailing: string[]): void;
  /** Runs `fn` later on the simulator's clock (a module that finishes something in its own time). */
  after(ms: number, fn: () => void): void;
}

export type Handler = (args: string, ctx: Ctx) => Result;

/** One command by its 27.007 forms: exec `AT+X`, read `AT+X?`, test `AT+X=?`, write `AT+X=…`. */
export interface CommandDef {
  exec?: Handler;
  read?: Handler;
  test?: Handler;
  write?: Handler;
}

/** Every command a module answers, by name (`+CSQ`, `E`, `%XICCID`); anything else is an ERROR. */
export type CommandTable = Record<string, CommandDef>;

export const OK: Result = { ok: [] };
export const ERROR: Result = { error: true };
export const ok = (...lines: string[]): Result => ({ ok: lines });

/** Splits write arguments on commas outside quotes; quotes removed. */
export function args(s: string): string[] {
  const out: string[] = [];
  let cur = "";
  let q = false;
  for (const ch of s) {
    if (ch === '"') q = !q;
    else if (ch === "," && !q) {
      out.push(cur.trim());
      cur = "";
    } else cur += ch;
  }
  out.push(cur.trim());
  return out;
}

/** The SIM gate most commands pass: +CME 10 when absent, 11 when PIN-locked. */
export function simGate(ctx: Ctx): Result | undefined {
  if (!ctx.world.sim.present) return { cme: 10 };
  if (!ctx.world.sim.unlocked) return { cme: ctx.world.sim.pinAttemptsLeft > 0 ? 11 : 12 };
  return undefined;
}

/** Upper-case hex, zero-padded to `width` digits (0: no padding). */
export const hex = (n: number, width = 4) => n.toString(16).toUpperCase().padStart(width, "0");

/** The radio is on and can reach the network (+CFUN=1, a SIM). */
export const radioOn = (ctx: Ctx) => ctx.world.settings.cfun === 1 && ctx.world.sim.present;
