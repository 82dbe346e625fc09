import type { Link } from "../../src/at/index.js";

export type Script = (command: string, modem: ScriptedModem) => string | string[] | undefined;

/**
 * The far end of a memory link, answering from a table like warthog618's mock modem. It does
 * not emulate a modem (that is src/sim/modem); it lets a test say exactly which bytes come
 * back for each command, split into chunks as the test wants.
 */
export class ScriptedModem {
  readonly received: string[] = [];
  readonly raw: string[] = [];
  #buf = "";
  #pduMode = false;

  /** `escInLine`: ESC is a character of the command line (a module that takes ESC+AT as one bad line). */
  constructor(
    readonly link: Link,
    public script: Script,
    readonly o: { escInLine?: boolean } = {},
  ) {
    link.onData((bytes) => this.#onBytes(Buffer.from(bytes).toString("latin1")));
  }

  /** Sends bytes to the engine; an array is sent as separate chunks. */
  send(chunks: string | string[]): void {
    for (const c of Array.isArray(chunks) ? chunks : [chunks]) void this.link.write(Buffer.from(c, "latin1"));
  }

  /** After the next prompt, collect the PDU up to Ctrl-Z as one "command". */
  expectPdu(): void {
    this.#pduMode = true;
  }

  #onBytes(text: string): void {
    this.raw.push(text);
    for (const ch of text) {
      if (ch === "\x1b" && !this.o.escInLine) {
        this.received.push("<ESC>");
        this.#buf = "";
        this.#pduMode = false;
        continue;
      }
      if (this.#pduMode && ch === "\x1a") {
        this.#pduMode = false;
        this.#dispatch(`${this.#buf}<^Z>`);
        continue;
      }
      if (!this.#pduMode && ch === "\r") {
        this.#dispatch(this.#buf);
        continue;
      }
      this.#buf += ch;
    }
  }

  #dispatch(cmd: string): void {
    this.#buf = "";
    this.received.push(cmd);
    const reply = this.script(cmd, this);
    if (reply !== undefined) this.send(reply);
  }
}

/** A script that answers `AT` (the engine's sync) with OK and defers the rest to `rest`. */
export function withSync(rest: Script): Script {
  return (cmd, m) => (cmd === "AT" ? "\r\nOK\r\n" : rest(cmd, m));
}
