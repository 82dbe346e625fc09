import type { Personality } from "../personality.js";
import type { Memory, SmsStore } from "../sms-store.js";
import type { ModemWorld } from "../state.js";

/** What a command handler answers. */
export type Result =
  /** Information lines, then OK. */
  | { ok: string[] }
  | { cme: number }
  | { cms: number }
  /** Plain ERROR whatever +CMEE says (unknown command, bad syntax). */
  | { error: true }
  /** The SMS prompt: the text up to Ctrl-Z goes to `then`; ESC cancels. */
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
}

export type Handler = (args: string, ctx: Ctx) => Result;

/** One command by its 27.007 forms: exec `AT+X`, read `AT+X?`, test `AT+X=?`, write `AT+X=…`. */
export interface CommandDef {
  exec?: Handler;
  read?: Handler;
  test?: Handler;
  write?: Handler;
}

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

export const hex = (n: number, width = 4) => n.toString(16).toUpperCase().padStart(width, "0");
