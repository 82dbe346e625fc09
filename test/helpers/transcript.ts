import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/**
 * Reads the modem transcripts in test/fixtures/transcripts (their README gives the format) into
 * what the host wrote and what the modem sent, in log order. Pure apart from `loadTranscript`'s
 * read of the file.
 */
export interface TranscriptEvent {
  dir: "host" | "modem" | "gap";
  bytes: Buffer;
  /**
   * How much of the bytes the log gives. `exact`: all of them (an exact block). `line`: a line
   * without its terminators, framed here: a modem line as `\r\n…\r\n` (an empty one as `\r\n`),
   * a host line ended with `\r`. `cut`: the log elides the line from a `…` on; `bytes` are what
   * comes before it (a line-level modem line gets its leading `\r\n`, never a closing one). `placeholder`:
   * the log names bytes it does not show (`<83 bytes MQTT CONNECT…>`), or a gap; `bytes` is empty.
   */
  form: "exact" | "line" | "cut" | "placeholder";
  /** The text as logged (escapes not decoded, the collector's remark removed). */
  text: string;
  /** The collector's remark on the line: `(inferred; see above)`, a gap's `(no bytes for 10 s…)`. */
  note?: string;
}

export interface TranscriptBlock {
  /** The text between the previous block and this one (`(a) hex-dumped chunks (comment 1):`). */
  label: string;
  fidelity: "exact" | "line";
  events: TranscriptEvent[];
}

export interface Transcript {
  id: string;
  title: string;
  /** The file's `**Source:**` entry: where the capture was published. */
  source: string;
  blocks: TranscriptBlock[];
}

export const TRANSCRIPT_DIR = fileURLToPath(new URL("../fixtures/transcripts/", import.meta.url));

/** The transcripts' files, in order. */
export function transcriptFiles(): string[] {
  return readdirSync(TRANSCRIPT_DIR)
    .filter((f) => /^\d\d-.*\.md$/.test(f))
    .sort();
}

/** The transcript whose file starts with `id` (`"03"`). */
export function loadTranscript(id: string): Transcript {
  const file = transcriptFiles().find((f) => f.startsWith(id));
  if (file === undefined) throw new Error(`no transcript ${id} in ${TRANSCRIPT_DIR}`);
  return parseTranscript(file.slice(0, 2), readFileSync(`${TRANSCRIPT_DIR}${file}`, "utf8"));
}

// A remark after two or more blanks at the end of a data line: `   (inferred; see above)`.
const REMARK = /\s{2,}(\([^()]*\))\s*$/;
const ESCAPES = /\\r|\\n|\\x[0-9A-Fa-f]{2}/;

export function parseTranscript(id: string, md: string): Transcript {
  const lines = md.split("\n");
  const title = (lines[0] ?? "").replace(/^#\s*/, "");
  const source = /^- \*\*Source:\*\*\s*([\s\S]*?)(?=\n- \*\*|\n\n)/m.exec(md)?.[1]?.replace(/\s+/g, " ") ?? "";
  const start = lines.findIndex((l) => /^## Exchange/.test(l));
  if (start < 0) throw new Error(`transcript ${id}: no "## Exchange" section`);
  const blocks: TranscriptBlock[] = [];
  let label: string[] = [];
  let body: string[] | undefined;
  for (const line of lines.slice(start + 1)) {
    if (/^```/.test(line)) {
      if (body === undefined) body = [];
      else {
        blocks.push(parseBlock(label.join(" ").trim(), body));
        body = undefined;
        label = [];
      }
    } else if (body !== undefined) body.push(line);
    else if (line.trim() !== "") label.push(line.trim());
  }
  if (blocks.length === 0) throw new Error(`transcript ${id}: no exchange block`);
  return { id, title, source, blocks };
}

function parseBlock(label: string, body: string[]): TranscriptBlock {
  const fidelity = body.some((l) => /^[<>]/.test(l) && ESCAPES.test(l)) ? "exact" : "line";
  const events: TranscriptEvent[] = [];
  for (const raw of body) {
    if (/^\s+\(/.test(raw)) {
      events.push({ dir: "gap", bytes: Buffer.alloc(0), form: "placeholder", text: "", note: raw.trim() });
      continue;
    }
    const m = /^([<>])(?: (.*))?$/.exec(raw);
    if (m === null) {
      if (raw.trim() === "") continue;
      throw new Error(`not a transcript line: ${JSON.stringify(raw)}`);
    }
    const dir = m[1] === ">" ? "host" : "modem";
    const remark = REMARK.exec(m[2] ?? "");
    const text = remark === null ? (m[2] ?? "") : m[2]!.slice(0, remark.index);
    events.push({ ...toEvent(dir, text, fidelity), ...(remark ? { note: remark[1]! } : {}) });
  }
  return { label, fidelity, events };
}

function toEvent(dir: "host" | "modem", text: string, fidelity: "exact" | "line"): TranscriptEvent {
  const none = Buffer.alloc(0);
  if (/^<[^<>]*>$/.test(text)) return { dir, bytes: none, form: "placeholder", text };
  // `…ERROR…` in an exact log: the logger showed only the line, not its bytes.
  const lineOnly = /^…(.+)…$/.exec(text);
  if (lineOnly !== null) return { dir, bytes: frame(dir, lineOnly[1]!), form: "line", text };
  const elided = text.indexOf("…");
  if (elided >= 0) {
    const shown = text.slice(0, elided).trimEnd();
    const bytes = fidelity === "exact" ? decode(shown) : Buffer.from(dir === "modem" ? `\r\n${shown}` : shown, "utf8");
    return { dir, bytes, form: "cut", text };
  }
  if (fidelity === "exact") return { dir, bytes: decode(text), form: "exact", text };
  return { dir, bytes: frame(dir, text), form: "line", text };
}

/** V.250 framing of a line the log printed without terminators. */
function frame(dir: "host" | "modem", text: string): Buffer {
  if (dir === "host") return Buffer.from(`${text}\r`, "utf8");
  return Buffer.from(text === "" ? "\r\n" : `\r\n${text}\r\n`, "utf8");
}

/** `\r`, `\n` and `\xHH` escapes to bytes; the rest as written (UTF-8). */
export function decode(text: string): Buffer {
  const parts: Buffer[] = [];
  for (const piece of text.split(/(\\r|\\n|\\x[0-9A-Fa-f]{2})/)) {
    if (piece === "\\r") parts.push(Buffer.from([0x0d]));
    else if (piece === "\\n") parts.push(Buffer.from([0x0a]));
    else if (/^\\x[0-9A-Fa-f]{2}$/.test(piece)) parts.push(Buffer.from([Number.parseInt(piece.slice(2), 16)]));
    else parts.push(Buffer.from(piece, "utf8"));
  }
  return Buffer.concat(parts);
}

/**
 * The command line a host event is, as the far end sees the engine's writes: terminators and
 * blanks around it dropped (the engine trims and ends with CR; a logged host may have used LF CR
 * or left a blank), a payload's Ctrl-Z as `<^Z>`. A write the log does not show in full is
 * `<not replayable: …>`, which no engine writes.
 */
export function hostLine(e: TranscriptEvent): string {
  if (e.form === "placeholder" || e.form === "cut") return `<not replayable: ${e.text}>`;
  const s = e.bytes.toString("latin1");
  if (s.endsWith("\x1a")) return `${s.slice(0, -1)}<^Z>`;
  return s.replace(/^[\r\n]+|[\r\n\x00]+$/g, "").trim();
}

/** All blocks' events, in order (the captures of one file as one session on one port). */
export function allEvents(t: Transcript): TranscriptEvent[] {
  return t.blocks.flatMap((b) => b.events);
}
