import type { Clock } from "../core/index.js";
import { commandSegments } from "./urc-registry.js";
import type { Outcome, Waiter } from "./waiter.js";

/**
 * Whether the next command can be written straight away, or the line must first be proven
 * quiet: after a timeout or an abort the modem may still answer the old command, and a
 * previous process may have left it inside an SMS entry (only ESC leaves that).
 */
export type SyncState =
  | { kind: "synced" }
  /** `escape`: an SMS prompt may be open; `late`: commands whose answer may still come. */
  | { kind: "unsynced"; escape: boolean; late: readonly string[] };

/** At start nothing is known of the line: a previous process may have left a prompt open. */
export const START: SyncState = { kind: "unsynced", escape: true, late: [] };

/** The state after a command timed out or was aborted (its answer may come), or a write failed. */
export function unsynced(s: SyncState, o: { late?: string; escape?: boolean } = {}): SyncState {
  const prev = s.kind === "unsynced" ? s : { escape: false, late: [] };
  return {
    kind: "unsynced",
    escape: prev.escape || (o.escape ?? false),
    late: o.late === undefined ? prev.late : [...prev.late, o.late],
  };
}

export interface ResyncIo {
  /** The exchange the resync's lines and final results arrive on. */
  readonly waiter: Waiter;
  write(text: string): Promise<void>;
}

export interface ResyncOptions {
  clock: Clock;
  signal: AbortSignal | undefined;
  /** How long one `AT` gets for its final result. */
  tryMs: number;
  /** The whole resync: past this the modem is declared silent. */
  budgetMs: number;
  /** Silence after the resync's last answer before the next command is written. */
  quietMs: number;
}

export type ResyncResult =
  | { ok: true; absorbed: string[]; writes: number }
  | { ok: false; reason: "timeout" | "aborted" | "closed"; absorbed: string[]; writes: number };

const ESC = "\x1b";
/** Errors in a row to plain `AT` after which the channel counts as proven (it answers, just not OK). */
const MAX_REFUSALS = 4;

/**
 * `AT` until a clean `OK`, within one bounded budget. Any final result proves the channel is
 * alive: after an `ERROR` (a modem may take an ESC or other bytes before `AT` as part of the line,
 * V.250 §5.2.1) a plain `AT` is written again, never ESC again. An `OK` preceded by output of a
 * timed-out command is that command's late answer, not ours. Once ours came, the answers still
 * owed for the other `AT`s written, and a quiet window, are absorbed, so none reaches the next
 * command.
 */
export async function resynchronise(io: ResyncIo, state: SyncState, o: ResyncOptions): Promise<ResyncResult> {
  const late = state.kind === "unsynced" ? state.late : [];
  const absorbed: string[] = [];
  const deadline = o.clock.now() + o.budgetMs;
  let writes = 0;
  let finals = 0;
  let refusals = 0;
  const writeAt = async (escape: boolean) => {
    if (escape) await io.write(ESC);
    await io.write("AT\r");
    writes++;
  };
  const fail = (reason: "timeout" | "aborted" | "closed"): ResyncResult => ({ ok: false, reason, absorbed, writes });

  await writeAt(state.kind === "unsynced" && state.escape);
  for (;;) {
    const left = deadline - o.clock.now();
    if (left <= 0) return fail("timeout");
    const out = await io.waiter.wait(Math.min(o.tryMs, left), o.clock, o.signal);
    if (out.type === "aborted" || out.type === "closed") return fail(out.type);
    const lines = io.waiter.takeLines();
    absorbed.push(...lines);
    if (out.type === "timeout") {
      // The line may have been taken by a modem still booting: ask again while the budget lasts.
      if (o.clock.now() < deadline) await writeAt(false);
      continue;
    }
    if (out.type === "prompt") {
      // An SMS prompt we did not ask for: leave PDU entry before anything else.
      absorbed.push(">");
      await writeAt(true);
      continue;
    }
    finals++;
    absorbed.push(out.line);
    if (out.kind.kind === "ok") {
      if (!lines.some((l) => isLateOutput(l, late))) break;
      continue; // the late command's OK; ours is still to come
    }
    if (++refusals >= MAX_REFUSALS) break;
    await writeAt(false);
  }
  await drain(io, o, absorbed, writes - finals);
  return { ok: true, absorbed, writes };
}

/** Absorbs the answers still owed to our own `AT`s, then whatever comes within the quiet window. */
async function drain(io: ResyncIo, o: ResyncOptions, absorbed: string[], owed: number): Promise<void> {
  for (let left = owed; ; left--) {
    const out: Outcome = await io.waiter.wait(left > 0 ? o.tryMs : o.quietMs, o.clock, o.signal);
    absorbed.push(...io.waiter.takeLines());
    if (out.type === "final") absorbed.push(out.line);
    else if (out.type === "prompt") absorbed.push(">");
    else break;
  }
}

/** A line a timed-out command would print: its own `+XYZ:` prefix, or bare text (ATI, +CGMI). */
function isLateOutput(line: string, late: readonly string[]): boolean {
  if (late.length === 0) return false;
  const prefixed = /^\s*([+^#$%*][A-Z0-9]+):/i.exec(line);
  if (prefixed === null) return true;
  const name = `AT${prefixed[1]!.toUpperCase()}`;
  return late.flatMap(commandSegments).some((c) => c.toUpperCase().startsWith(name));
}
