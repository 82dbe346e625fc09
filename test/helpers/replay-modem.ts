import { AtEngine, createLinkPair, type AtEngineOptions, type AtResponse, type Link, type UrcSpec } from "../../src/at/index.js";
import { ManualClock, isCellgateError, type CellgateError } from "../../src/core/index.js";
import { drive, flush } from "./drive.js";
import { ScriptedModem } from "./scripted-modem.js";
import { hostLine, type TranscriptEvent } from "./transcript.js";

/** One host write and the modem chunks logged after it, up to the next write. */
interface Exchange {
  host: string;
  chunks: Buffer[];
}

const OK = Buffer.from("\r\nOK\r\n");
const ERROR = Buffer.from("\r\nERROR\r\n");

/**
 * The far end of a replay: it answers the engine from a transcript. When the engine writes what
 * the logged host wrote next, the chunks the modem sent after that write go back, one chunk per
 * turn of the event loop (as separate reads from a port arrive). Host writes the modem never
 * answered may be passed over (the engine's own resync stands in for a host's polling); every
 * other line the engine writes is an extra: an `AT` gets a plausible `OK`, anything else `ERROR`
 * and a place in `unexpected`, so a test sees any departure from the log.
 */
export class ReplayModem {
  /** Lines the engine wrote that the logged host did not (each answered as said above). */
  readonly extras: string[] = [];
  readonly unexpected: string[] = [];
  /** Host writes passed over: the modem never answered them. */
  readonly skipped: string[] = [];
  readonly #preamble: Buffer[];
  readonly #exchanges: Exchange[];
  readonly #modem: ScriptedModem;
  #next = 0;
  #queue: Buffer[] = [];
  #pump: Promise<void> = Promise.resolve();

  constructor(link: Link, events: readonly TranscriptEvent[]) {
    const first = events.findIndex((e) => e.dir === "host");
    const head = first < 0 ? events : events.slice(0, first);
    this.#preamble = head.filter((e) => e.dir === "modem").map((e) => e.bytes);
    this.#exchanges = [];
    for (const e of first < 0 ? [] : events.slice(first)) {
      if (e.dir === "host") this.#exchanges.push({ host: hostLine(e), chunks: [] });
      else if (e.dir === "modem") this.#exchanges.at(-1)!.chunks.push(e.bytes);
    }
    this.#modem = new ScriptedModem(link, (cmd, m) => this.#answer(cmd, m));
  }

  /** Sends what the modem logged before the host's first write (boot URCs, a reply's tail). */
  start(): void {
    this.#send(this.#preamble);
  }

  /** Resolves once every chunk handed to the pump has been delivered to the engine. */
  async idle(): Promise<void> {
    for (let p = this.#pump; ; p = this.#pump) {
      await p;
      await flush(1);
      if (p === this.#pump && this.#queue.length === 0) return;
    }
  }

  /** Logged host writes that had an answer the engine never asked for. */
  get unanswered(): string[] {
    return this.#exchanges.slice(this.#next).flatMap((x) => (x.chunks.length > 0 ? [x.host] : []));
  }

  #answer(cmd: string, m: ScriptedModem): undefined {
    // The engine's first write is ESC + AT (leave any SMS entry a previous process left open).
    if (cmd === "AT" && m.received.at(-2) === "<ESC>") return this.#extra(cmd, OK);
    const at = this.#exchanges.findIndex((x, i) => i >= this.#next && x.host === cmd);
    const passed = at < 0 ? [] : this.#exchanges.slice(this.#next, at);
    if (at < 0 || passed.some((x) => x.chunks.length > 0)) return this.#extra(cmd, cmd === "AT" ? OK : ERROR);
    this.skipped.push(...passed.map((x) => x.host));
    this.#next = at + 1;
    // A payload follows a prompt without a CR: the far end reads it up to Ctrl-Z.
    if (this.#exchanges[this.#next]?.host.endsWith("<^Z>")) m.expectPdu();
    this.#send(this.#exchanges[at]!.chunks);
    return undefined;
  }

  #extra(cmd: string, reply: Buffer): undefined {
    (reply === OK ? this.extras : this.unexpected).push(cmd);
    this.#send([reply]);
    return undefined;
  }

  #send(chunks: readonly Buffer[]): void {
    this.#queue.push(...chunks);
    this.#pump = this.#pump.then(async () => {
      while (this.#queue.length > 0) {
        await new Promise<void>((r) => setImmediate(r));
        this.#modem.send(this.#queue.shift()!.toString("latin1"));
      }
    });
  }
}

/** What one command came to: its reply, or the coded error with what the engine had collected. */
export type Outcome = { final: string; lines: string[] } | { code: string; lines: string[]; final?: string; errorCode?: number };

export function outcomeOf(r: { final: string; lines: string[] } | CellgateError): Outcome {
  if (!isCellgateError(r)) return { final: r.final, lines: [...r.lines] };
  const d = r.detail;
  const out: Outcome = { code: r.code, lines: Array.isArray(d.lines) ? [...(d.lines as string[])] : [] };
  if (typeof d.final === "string") out.final = d.final;
  if (typeof d.errorCode === "number") out.errorCode = d.errorCode;
  return out;
}

export interface Replay {
  engine: AtEngine;
  far: ReplayModem;
  /** URCs as delivered: the line, and any trailing lines after ` | `. */
  urcs: string[];
  strays: string[];
  /** Each command's response or coded error, in order. */
  raw: Array<AtResponse | CellgateError>;
  /** Runs one command (or an SMS command with its PDU) and waits until the far end has sent all it owes. */
  run(cmd: string, pdu?: string): Promise<Outcome>;
}

/** An engine on a memory link to a ReplayModem playing `events`, on a manual clock. */
export async function startReplay(
  events: readonly TranscriptEvent[],
  o: { urcs?: readonly UrcSpec[]; engine?: Partial<AtEngineOptions> } = {},
): Promise<Replay> {
  const [host, farLink] = createLinkPair(["replay:host", "replay:modem"]);
  const clock = new ManualClock(1_000_000);
  const engine = new AtEngine({ link: host, clock, ...o.engine });
  if (o.urcs) engine.addUrcs(o.urcs);
  const far = new ReplayModem(farLink, events);
  const urcs: string[] = [];
  const strays: string[] = [];
  const raw: Array<AtResponse | CellgateError> = [];
  engine.onUrc((u) => urcs.push([u.line, ...u.trailing].join(" | ")));
  engine.events.on("stray", (s) => strays.push(s.line));
  far.start();
  await far.idle();
  const run = async (cmd: string, pdu?: string): Promise<Outcome> => {
    const p = pdu === undefined ? engine.command(cmd) : engine.smsCommand(cmd, pdu);
    const r = await drive(p, clock).catch((err: unknown) => {
      if (isCellgateError(err)) return err;
      throw err;
    });
    await far.idle();
    raw.push(r);
    return outcomeOf(r);
  };
  return { engine, far, urcs, strays, raw, run };
}
