import { AtEngine, ioChannel, openSerialLink, traceLink, type IoTrace } from "../at/index.js";
import type { Logger } from "../core/index.js";

/**
 * The modem's AT port opened by this command itself (--port, or no daemon answering). Imported
 * only on that path: a command answered by the daemon never loads the engine or serialport.
 */
export async function openEngine(path: string, baudRate: number, o: { trace?: boolean; log: Logger }): Promise<AtEngine> {
  if (o.trace) enableTrace();
  return new AtEngine({ link: traceLink(await openSerialLink({ path, baudRate })), log: o.log });
}

/** --trace: every byte to and from the modem on stderr, as `> ` / `< ` lines with escapes visible. */
function enableTrace(): void {
  ioChannel.subscribe((msg) => {
    const t = msg as IoTrace;
    const text = Buffer.from(t.hex, "hex")
      .toString("latin1")
      .replace(/[\x00-\x1f\x7f-\xff]/g, (c) => {
        const named: Record<string, string> = { "\r": "\\r", "\n": "\\n", "\x1a": "^Z", "\x1b": "<ESC>" };
        return named[c] ?? `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`;
      });
    process.stderr.write(`${t.dir === "tx" ? ">" : "<"} ${text}\n`);
  });
}
