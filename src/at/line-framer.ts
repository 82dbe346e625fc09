/**
 * Byte stream → tokens. A line ends at CR or LF (so `\r\n`, `\r\r\n` and a lone `\n` all
 * work, and empty lines vanish); bytes may be split across reads anywhere. The SMS prompt
 * `>` is a token of its own even though no CRLF follows it, with or without a trailing
 * space, and even when the modem's echo of the PDU follows on the same line.
 */
export type FrameToken =
  | { kind: "line"; text: string }
  | { kind: "prompt" }
  /** A line grew past the limit without a terminator: it is dropped up to the next terminator. */
  | { kind: "overflow"; dropped: number; head: string };

const CR = 0x0d;
const LF = 0x0a;
const GT = 0x3e;
const SPACE = 0x20;

export const DEFAULT_MAX_LINE = 16 * 1024;
const NON_ASCII = /[\x80-\xff]/;
const VISIBLE = /[^\x00-\x20]/;

export class LineFramer {
  #parts: Buffer[] = [];
  #len = 0;
  /** Inside an over-long line: drop bytes until the next terminator. */
  #discarding = false;

  constructor(readonly maxLine = DEFAULT_MAX_LINE) {}

  push(chunk: Uint8Array): FrameToken[] {
    const out: FrameToken[] = [];
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let start = 0;
    // One decode per chunk; lines are slices of it. Latin-1 keeps byte offsets, so it is only
    // used when the chunk is pure ASCII; otherwise each line is decoded as UTF-8 on its own.
    const text = buf.toString("latin1");
    const ascii = !NON_ASCII.test(text);
    // Native searches for the next CR and LF (memchr) instead of a byte loop in JS.
    let cr = buf.indexOf(CR, 0);
    let lf = buf.indexOf(LF, 0);
    while (cr >= 0 || lf >= 0) {
      const i = cr < 0 ? lf : lf < 0 ? cr : Math.min(cr, lf);
      if (this.#len === 0 && !this.#discarding) {
        // Fast path: the whole line is inside this chunk, no copy needed.
        if (i > start) this.#emitText(ascii ? text.slice(start, i) : buf.toString("utf8", start, i), out);
      } else {
        this.#append(buf.subarray(start, i), out);
        this.#endLine(out);
      }
      start = i + 1;
      if (i === cr) cr = buf.indexOf(CR, start);
      if (i === lf) lf = buf.indexOf(LF, start);
    }
    this.#append(buf.subarray(start), out);
    this.#takePrompt(out);
    return out;
  }

  /** Bytes held for an unterminated line (for diagnostics). */
  get pending(): number {
    return this.#len;
  }

  #append(bytes: Buffer, out: FrameToken[]): void {
    if (bytes.length === 0 || this.#discarding) return;
    // Copied: the caller may reuse its read buffer once push() returns.
    this.#parts.push(Buffer.from(bytes));
    this.#len += bytes.length;
    if (this.#len > this.maxLine) {
      const line = this.#take();
      this.#discarding = true;
      out.push({ kind: "overflow", dropped: line.length, head: line.subarray(0, 32).toString("latin1") });
    }
  }

  #endLine(out: FrameToken[]): void {
    if (this.#discarding) {
      this.#discarding = false;
      return;
    }
    if (this.#len > 0) this.#emitLine(this.#take(), out);
  }

  #emitLine(line: Buffer, out: FrameToken[]): void {
    this.#emitText(line.toString("utf8"), out);
  }

  #emitText(line: string, out: FrameToken[]): void {
    let text = line;
    if (text.charCodeAt(0) === GT) {
      // A line that starts with `>` begins with the SMS prompt; what follows is a line of its own.
      out.push({ kind: "prompt" });
      text = text.slice(1).replace(/^ +/, "");
    }
    if (text.length > this.maxLine) {
      out.push({ kind: "overflow", dropped: text.length, head: text.slice(0, 32) });
      return;
    }
    // Lines of only blanks and control bytes carry nothing (a dribbled "> " leaves a lone
    // space behind; an ESC we sent comes back as echo).
    if (VISIBLE.test(text)) out.push({ kind: "line", text });
  }

  /** Strips a leading `>` prompt (and its spaces) from pending bytes, emitting the prompt. */
  #stripPrompt(line: Buffer, out: FrameToken[]): Buffer {
    if (line[0] !== GT) return line;
    out.push({ kind: "prompt" });
    let rest = 1;
    while (rest < line.length && line[rest] === SPACE) rest++;
    return line.subarray(rest);
  }

  /** An unterminated line that starts with `>` is the prompt, which no CRLF will follow. */
  #takePrompt(out: FrameToken[]): void {
    if (this.#len === 0 || this.#discarding || this.#parts[0]?.[0] !== GT) return;
    const rest = this.#stripPrompt(this.#take(), out);
    if (rest.length > 0) {
      this.#parts = [rest];
      this.#len = rest.length;
    }
  }

  #take(): Buffer {
    const line = this.#parts.length === 1 ? this.#parts[0]! : Buffer.concat(this.#parts, this.#len);
    this.#parts = [];
    this.#len = 0;
    return line;
  }
}
