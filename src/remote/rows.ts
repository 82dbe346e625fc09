import { readReply } from "../commands/index.js";
import type { Target } from "./fleet-api.js";

/**
 * Where one SIM's request stands: queued (not created yet), sent (the Command exists), delivered
 * (the device's receipt), answered or nak (the gateway's reply came back), failed (the API or
 * the network refused it, for this SIM), no-answer (the wait ran out), api-error (the API
 * failed: the request may not have been made).
 */
export type RowState = "queued" | "sent" | "delivered" | "answered" | "nak" | "failed" | "no-answer" | "api-error";

export interface Row {
  sim: string;
  name: string | null;
  iccid: string | null;
  /** The verb and its arguments, as asked. */
  command: string;
  verb: string;
  /** The request id the signed Command carries and the reply echoes. */
  rid: string;
  state: RowState;
  commandSid: string | null;
  /** The MT Command's status as last seen (queued, sent, delivered, failed). */
  delivery: string | null;
  /** Local clock: when the Command was created, when the reply was read. */
  sentAt: number | null;
  repliedAt: number | null;
  reply: string | null;
  /** Whether the reply carried this request's id (false: a gateway too old to echo it, matched by its verb). */
  correlated: boolean | null;
  /** Replies that carried another request id (an earlier request's, answered late), as they came. */
  late: string[];
  /** Why it failed, in a few words (the API's code and message, the delivery status). */
  detail: string | null;
}

export const FINAL: ReadonlySet<RowState> = new Set(["answered", "nak", "failed", "no-answer", "api-error"]);

export function newRow(t: Target, command: string, rid: string): Row {
  return {
    sim: t.sid,
    name: t.uniqueName,
    iccid: t.iccid,
    command,
    verb: command.split(/\s+/)[0]!.toLowerCase(),
    rid,
    state: "queued",
    commandSid: null,
    delivery: null,
    sentAt: null,
    repliedAt: null,
    reply: null,
    correlated: null,
    late: [],
    detail: null,
  };
}

export interface Counts {
  total: number;
  sent: number;
  answered: number;
  naked: number;
  failed: number;
  pending: number;
}

export function counts(rows: readonly Row[]): Counts {
  const c = { total: rows.length, sent: 0, answered: 0, naked: 0, failed: 0, pending: 0 };
  for (const r of rows) {
    if (r.sentAt !== null) c.sent++;
    if (r.state === "answered") c.answered++;
    else if (r.state === "nak") c.naked++;
    else if (r.state === "failed" || r.state === "api-error") c.failed++;
    else if (r.sentAt !== null) c.pending++;
  }
  return c;
}

/**
 * Matches the replies of one SIM to its requests in this run: by the request id each reply
 * echoes; a reply with another id answers an earlier request and is kept as late, never taken
 * for this one's answer; a reply without an id (a gateway that does not echo) is matched to the
 * oldest open request with the verb it starts with.
 */
export class ReplyMatcher {
  readonly #bySim = new Map<string, Row[]>();

  constructor(rows: readonly Row[]) {
    for (const r of rows) {
      const list = this.#bySim.get(r.sim);
      if (list) list.push(r);
      else this.#bySim.set(r.sim, [r]);
    }
  }

  has(sim: string): boolean {
    return this.#bySim.has(sim);
  }

  /** A reply from a SIM; returns the row it answered (undefined: late, unrelated or a repeat). */
  take(sim: string, text: string, now: number): Row | undefined {
    const rows = this.#bySim.get(sim);
    if (rows === undefined) return undefined;
    const { rid, text: body } = readReply(text);
    const open = (r: Row) => r.state !== "answered" && r.state !== "nak";
    let row: Row | undefined;
    if (rid !== null) {
      row = rows.find((r) => r.rid === rid);
      if (row === undefined) {
        rows[0]!.late.push(text);
        return undefined;
      }
      if (!open(row)) return undefined; // the same reply seen twice (a poll and a callback)
    } else {
      const [first = "", second = ""] = body.split(/\s+/);
      const verb = first === "NAK" ? second : first;
      row = rows.find((r) => open(r) && r.sentAt !== null && r.verb === verb);
      if (row === undefined) return undefined; // the gateway's own MO traffic (back online, an application's)
    }
    row.reply = body;
    row.delivery = "delivered"; // an answer means the Command reached the gateway, receipt or not
    row.correlated = rid !== null;
    row.state = /^NAK\b/.test(body) ? "nak" : "answered";
    row.repliedAt = now;
    return row;
  }
}
