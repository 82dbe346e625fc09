import { ioChannel, type IoTrace } from "../at/index.js";
import { CellgateError, createLogger, type Logger } from "../core/index.js";

/** Exit codes of the commands that are not `status` (whose codes are the verdict's). */
export const EXIT = { ok: 0, modemError: 1, portError: 2, usage: 64 } as const;

/** The modem port: --port, else CELLGATE_MODEM_PORT (the config file arrives with the daemon). */
export function resolvePort(flag: string | undefined): string {
  const port = flag ?? process.env.CELLGATE_MODEM_PORT;
  if (port === undefined || port === "") {
    throw new CellgateError("CG_ERR_CLI_USAGE", "no modem port: pass --port PATH or set CELLGATE_MODEM_PORT (e.g. /dev/serial/by-id/usb-Quectel_…-if02-port0)");
  }
  return port;
}

export function parseIntOption(name: string, value: string, min: number, max: number): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max) {
    throw new CellgateError("CG_ERR_CLI_USAGE", `${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(value)}`);
  }
  return n;
}

/** CLI commands log to stderr (stdout is their output), warnings only unless CELLGATE_LOG_LEVEL says otherwise. */
export function cliLogger(): Logger {
  return createLogger({ fd: 2, level: process.env.CELLGATE_LOG_LEVEL ?? "warn" });
}

/** --trace: every byte to and from the modem on stderr, as `> ` / `< ` lines with escapes visible. */
export function enableTrace(): void {
  ioChannel.subscribe((msg) => {
    const t = msg as IoTrace;
    const text = Buffer.from(t.hex, "hex").toString("latin1").replace(/[\x00-\x1f\x7f-\xff]/g, (c) => {
      const named: Record<string, string> = { "\r": "\\r", "\n": "\\n", "\x1a": "^Z", "\x1b": "<ESC>" };
      return named[c] ?? `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`;
    });
    process.stderr.write(`${t.dir === "tx" ? ">" : "<"} ${text}\n`);
  });
}
