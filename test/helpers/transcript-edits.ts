import { hostLine, type TranscriptEvent } from "./transcript.js";

/**
 * The few changes a replay makes to a logged exchange, each named so a test says what it changed
 * and why (a masked number made hex, a final result the copy left out). Pure: new arrays, new events.
 */

/** A modem line the log's copy lost, framed as V.250 frames it. */
export function supplied(text: string): TranscriptEvent {
  return { dir: "modem", bytes: Buffer.from(`\r\n${text}\r\n`), form: "line", text, note: "(supplied by the test)" };
}

/** A host write the log does not show (its reply is there), ended with CR as the engine ends it. */
export function hostWrite(cmd: string): TranscriptEvent {
  return { dir: "host", bytes: Buffer.from(`${cmd}\r`), form: "line", text: cmd, note: "(supplied by the test)" };
}

/** `line` inserted after every modem line `after` picks. */
export function supplyAfter(
  events: readonly TranscriptEvent[],
  after: (text: string) => boolean,
  line = "OK",
): TranscriptEvent[] {
  return events.flatMap((e) => (e.dir === "modem" && after(e.text) ? [e, supplied(line)] : [e]));
}

/** Every occurrence of `from` replaced by `to`, in the bytes and the text of every event. */
export function replaceText(events: readonly TranscriptEvent[], from: string, to: string): TranscriptEvent[] {
  return events.map((e) => ({
    ...e,
    text: e.text.split(from).join(to),
    bytes: Buffer.from(e.bytes.toString("latin1").split(from).join(to), "latin1"),
  }));
}

/** Without the host writes `drop` picks (by their command line) and the modem chunks logged after each of them. */
export function dropExchanges(events: readonly TranscriptEvent[], drop: (line: string) => boolean): TranscriptEvent[] {
  let dropping = false;
  return events.filter((e) => {
    if (e.dir === "host") dropping = drop(hostLine(e));
    return !dropping;
  });
}

/**
 * For a log whose reads ran behind its writes (each read printed the answer to the previous
 * command): every host write moved to just before the modem chunk that echoes it, so each
 * command is followed by its own answer. A chunk's write is the latest one logged before it that
 * it echoes (the same command written twice is the same command). Writes nothing echoes were not
 * answered and are left out.
 */
export function echoOrder(events: readonly TranscriptEvent[]): TranscriptEvent[] {
  const taken = new Set<number>();
  return events.flatMap((m, at) => {
    if (m.dir !== "modem") return [];
    let w = at - 1;
    while (w >= 0 && (taken.has(w) || events[w]!.dir !== "host" || !echoes(m, events[w]!))) w--;
    if (w < 0) return [m];
    taken.add(w);
    return [events[w]!, m];
  });
}

/** Does the chunk start with the echo of the write: the command line and its CR, or (a payload) its first bytes? */
function echoes(chunk: TranscriptEvent, write: TranscriptEvent): boolean {
  const c = chunk.bytes.toString("latin1");
  const w = write.bytes.toString("latin1");
  if (w.endsWith("\r")) return c.startsWith(w);
  const payload = w.replace(/\x1a$/, "");
  return c.length > 0 && (payload.startsWith(c) || c.startsWith(payload));
}
