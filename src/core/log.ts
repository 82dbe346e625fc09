import { pino, type Logger, type DestinationStream } from "pino";
import { textDestination } from "./log-text.js";

export type { Logger };

/**
 * Paths redacted in every log line. Secrets are listed once, here, when the logger is built
 * (pino's redaction). AT traces of secret-bearing commands (+CPIN) are masked at the source.
 */
export const REDACT_PATHS = [
  "password",
  "*.password",
  "authToken",
  "*.authToken",
  "apiSecret",
  "*.apiSecret",
  "clientSecret",
  "*.clientSecret",
  "commandKey",
  "*.commandKey",
  "pin",
  "*.pin",
  "puk",
  "*.puk",
  "headers.authorization",
  "*.headers.authorization",
] as const;

export interface LoggerOptions {
  level?: string;
  /** 1 = stdout (daemon, journald), 2 = stderr (CLI commands, whose stdout is their output). */
  fd?: 1 | 2;
  /** A destination stream instead of a file descriptor (tests). */
  stream?: DestinationStream;
  /**
   * json: one JSON object a line (journald, log shippers); text: one readable line (journalctl
   * readers, a terminal); auto (default): text when stderr is a terminal, else json.
   */
  format?: "auto" | "json" | "text";
}

/** Whether lines are written as text: asked for, or auto and a person is watching a terminal. */
export function textLogs(format: LoggerOptions["format"] = "auto", isTty = process.stderr.isTTY === true): boolean {
  return format === "text" || (format === "auto" && isTty);
}

export function createLogger(opts: LoggerOptions = {}): Logger {
  const options = {
    level: opts.level ?? process.env.CELLGATE_LOG_LEVEL ?? "info",
    base: { name: "cellgate" },
    redact: { paths: [...REDACT_PATHS], censor: "[redacted]" },
  };
  const fd = opts.fd ?? 1;
  const dest = opts.stream ?? (textLogs(opts.format) ? textDestination(fd) : pino.destination({ fd, sync: opts.fd === 2 }));
  return pino(options, dest);
}

/** A logger that drops everything (library defaults, tests that do not look at logs). */
export const silentLogger: Logger = pino({ level: "silent" });
