import { existsSync, readFileSync } from "node:fs";
import { commandKey, signText } from "../../src/commands/index.js";
import type { ModemSimulator } from "../../src/sim/modem/index.js";
import { decodePdu, gsm7Length } from "../../src/sms/pdu/index.js";
import type { Received } from "./broker.js";

/** One row of the fault matrix's counting table. */
export interface Counts {
  sent: number;
  handedOff: number;
  run: number;
  replied: number;
  /** Refused by design (expired under a clock fault, a replay): answered with a NAK or an event, not lost. */
  refused: number;
  /** Anything that happened twice to one Command: handed off under two ids, run twice, answered twice. */
  duplicates: number;
  /** Sent, and neither answered nor refused. */
  lost: number;
  /** The same commands/received message delivered again by MQTT (QoS 1 is at least once; consumers dedupe on `id`). */
  redelivered: number;
}

interface Sent {
  tag: number;
  sid: string;
  text: string;
}

const REPLY = /^ping (?:ok|fail) 127\.0\.0\.1:(\d+)(?:\s|$)/;

/**
 * Commands a test sends to the real daemon, each a signed `ping 127.0.0.1 <tag>` (a TCP connect
 * on loopback: quick, harmless, and its reply names the tag), and what became of each, counted
 * at every step from what the outside world sees: commands/received and events on the broker,
 * the MO SMS the modem simulator sent. Each Command has its own SID (IncludeSid), so every
 * message about it can be told apart from a second copy of it.
 */
export class Ledger {
  readonly #key: Buffer;
  readonly #sim: ModemSimulator;
  readonly #messages: () => readonly Received[];
  readonly #prefix: string;
  readonly #sent = new Map<number, Sent>();
  #next: number;

  readonly #journal: string | undefined;

  /** `journal`: the daemon's journal file, where a run shows even when its event died with a kill -9. */
  constructor(o: {
    key: string;
    sim: ModemSimulator;
    messages: () => readonly Received[];
    prefix: string;
    journal?: string;
    firstTag?: number;
  }) {
    this.#key = commandKey(o.key, "the test's key");
    this.#journal = o.journal;
    this.#sim = o.sim;
    this.#messages = o.messages;
    this.#prefix = o.prefix;
    this.#next = o.firstTag ?? 1;
  }

  /** A signed Command text, signed at `at` (the signer's clock). */
  sign(text: string, at = Date.now()): string {
    return signText(this.#key, text, at, gsm7Length);
  }

  /** A new Command from the network (2936), signed at `signedAt`; returns its tag. */
  send(o: { signedAt?: number; epochMs?: number } = {}): number {
    const tag = this.#next++;
    const text = this.sign(`ping 127.0.0.1 ${tag}`, o.signedAt);
    const sid = `DC${tag.toString(16).padStart(32, "0")}`;
    this.#sent.set(tag, { tag, sid, text });
    this.deliver(tag, o.epochMs);
    return tag;
  }

  /**
   * The network delivers Command `tag` (again: a duplicate, a re-delivery), the same text and SID;
   * `sid`: the same signed text under another SID (an operator creating it again, a replay).
   */
  deliver(tag: number, epochMs?: number, sid = this.#sent.get(tag)!.sid): void {
    const s = this.#sent.get(tag)!;
    this.#sim.sendFromNetwork({ text: s.text, sid, sidAt: "end", ...(epochMs !== undefined ? { epochMs } : {}) });
  }

  /** Tags sent so far (from `from` on). */
  tags(from = 0): number[] {
    return [...this.#sent.keys()].filter((t) => t >= from);
  }

  /** The counts for these Commands (default: every one sent). */
  counts(tags: readonly number[] = this.tags()): Counts {
    const mine = new Map<string, number>(tags.map((t) => [this.#sent.get(t)!.sid, t]));
    const handed = this.#handedOff(mine);
    const runs = this.#perTag(
      this.#events("command-run")
        .filter((e) => e.json.verb === "ping")
        .map((e) => e.json),
      (j) => {
        const tag = Number((j.args as string[] | undefined)?.[1]);
        return tags.includes(tag) ? tag : undefined;
      },
    );
    const journal = this.#journalled(tags);
    for (const tag of [...journal.done, ...journal.interrupted]) if (!runs.has(tag)) runs.set(tag, 1);
    const replies = this.replies(tags);
    // A Command a restart found running is answered "ping interrupted by a restart; not run again" (no tag in it).
    const notices = this.moTexts().filter((t) => t.startsWith("ping interrupted by a restart")).length;
    journal.interrupted.slice(0, notices).forEach((t) => replies.set(t, (replies.get(t) ?? 0) + 1));
    const refusedTags = new Set(
      this.#events("command-rejected")
        .map((e) => mine.get(String(e.json.sid)))
        .filter((t) => t !== undefined),
    );
    let duplicates = 0;
    for (const m of [handed.ids, runs, replies]) for (const n of m.values()) duplicates += Math.max(0, n - 1);
    const answered = (t: number) => replies.has(t) || refusedTags.has(t);
    return {
      sent: tags.length,
      handedOff: handed.ids.size,
      run: runs.size,
      replied: replies.size,
      refused: tags.filter((t) => refusedTags.has(t) && !replies.has(t)).length,
      duplicates,
      lost: tags.filter((t) => !answered(t)).length,
      redelivered: handed.redelivered,
    };
  }

  /** MO SMS answering each of these Commands, by tag (what the network received, counted at the modem). */
  replies(tags: readonly number[] = this.tags()): Map<number, number> {
    return this.#perTag(this.moTexts(), (t) => {
      const tag = Number(REPLY.exec(t)?.[1]);
      return tags.includes(tag) ? tag : undefined;
    });
  }

  /** Every MO text the modem sent (NAKs, interrupted notices, back-online texts included). */
  moTexts(): string[] {
    return this.#sim.sent.flatMap((s) => {
      if (s.pdu === undefined) return [];
      const p = decodePdu(s.pdu);
      return p.type === "submit" && p.text !== undefined ? [p.text] : [];
    });
  }

  /**
   * Distinct accepted hand-offs per tag: a message id seen again is MQTT's redelivery (counted
   * apart); a second id for one Command is a second hand-off, unless it was refused (a replay).
   */
  #handedOff(mine: Map<string, number>): { ids: Map<number, number>; redelivered: number } {
    const seen = new Set<string>();
    const ids = new Map<number, number>();
    let redelivered = 0;
    for (const m of this.#messages()) {
      if (m.topic !== `${this.#prefix}/commands/received`) continue;
      const tag = mine.get(String(m.json.sid));
      if (tag === undefined) continue;
      const id = String(m.json.id);
      if (seen.has(id)) {
        redelivered++;
        continue;
      }
      seen.add(id);
      if (m.json.auth === "rejected" && ids.has(tag)) continue;
      ids.set(tag, (ids.get(tag) ?? 0) + 1);
    }
    return { ids, redelivered };
  }

  /** Tags the journal has as run (done), and those a restart found running and reported interrupted. */
  #journalled(tags: readonly number[]): { done: number[]; interrupted: number[] } {
    if (this.#journal === undefined || !existsSync(this.#journal)) return { done: [], interrupted: [] };
    let entries: Array<{ verb: string; args: string[]; state: string; outcome?: string }>;
    try {
      entries = (JSON.parse(readFileSync(this.#journal, "utf8")) as { entries: typeof entries }).entries;
    } catch {
      return { done: [], interrupted: [] }; // replaced as it was read: the next look
    }
    const mine = entries.filter((e) => e.verb === "ping" && e.state === "done" && tags.includes(Number(e.args[1])));
    const tagsOf = (xs: typeof entries) => xs.map((e) => Number(e.args[1]));
    return {
      done: tagsOf(mine.filter((e) => !/^(interrupted|expired)/.test(e.outcome ?? ""))),
      interrupted: tagsOf(mine.filter((e) => (e.outcome ?? "").startsWith("interrupted"))),
    };
  }

  /** Events of one type, each once: a byte-identical copy is MQTT's redelivery, not a second event. */
  #events(type: string): Received[] {
    const seen = new Set<string>();
    return this.#messages().filter(
      (m) => m.topic === `${this.#prefix}/events` && m.json.type === type && !seen.has(m.payload) && !!seen.add(m.payload),
    );
  }

  #perTag<T>(items: readonly T[], tagOf: (x: T) => number | undefined): Map<number, number> {
    const out = new Map<number, number>();
    for (const x of items) {
      const t = tagOf(x);
      if (t !== undefined && !Number.isNaN(t)) out.set(t, (out.get(t) ?? 0) + 1);
    }
    return out;
  }
}

/** The counting table, markdown; `extra` adds columns after the counts. */
export function countsTable(rows: Array<{ fault: string; counts: Counts; note?: string }>): string {
  const head = "| fault | Commands sent | handed off | run | replied | refused | duplicates | lost | MQTT redeliveries | how |";
  const lines = rows.map(({ fault, counts: c, note }) =>
    mdRow([fault, c.sent, c.handedOff, c.run, c.replied, c.refused, c.duplicates, c.lost, c.redelivered, note ?? ""]),
  );
  return [head, "|---|--:|--:|--:|--:|--:|--:|--:|--:|---|", ...lines].join("\n");
}

/** One markdown table row. */
export const mdRow = (cells: ReadonlyArray<string | number>): string => `| ${cells.join(" | ")} |`;
