import { writeSync } from "node:fs";
import type { DestinationStream } from "pino";

const LEVELS: Record<number, string> = { 10: "TRACE", 20: "DEBUG", 30: "INFO", 40: "WARN", 50: "ERROR", 60: "FATAL" };
/** pino's own fields, shown in the line's head rather than as key=value. */
const HEAD = new Set(["level", "time", "msg", "name", "mod", "pid", "hostname"]);

/**
 * One pino JSON line as one readable line: `16:31:02.481 WARN  [mqtt] MQTT disconnected err="…"`.
 * Context fields follow as key=value (strings quoted only when they hold spaces or quotes,
 * objects as JSON), so a journalctl reader sees the message first and every field still.
 * Redaction has already happened: pino redacts before it serializes. Pure.
 */
export function formatLogLine(json: string): string {
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json.endsWith("\n") ? json : `${json}\n`;
  }
  const time = typeof o.time === "number" ? new Date(o.time).toISOString().slice(11, 23) : "";
  const level = (LEVELS[o.level as number] ?? String(o.level)).padEnd(5);
  const mod = typeof o.mod === "string" ? ` [${o.mod}]` : "";
  const fields = Object.entries(o)
    .filter(([k]) => !HEAD.has(k))
    .map(([k, v]) => `${k}=${value(v)}`);
  return `${[`${time} ${level}${mod}`, typeof o.msg === "string" ? o.msg : "", ...fields].filter((s) => s !== "").join(" ")}\n`;
}

function value(v: unknown): string {
  if (typeof v === "string") return /^[^\s"=]+$/.test(v) ? v : JSON.stringify(v);
  return JSON.stringify(v) ?? String(v);
}

/** A pino destination that writes each line formatted (synchronously: a log line is never lost on exit). */
export function textDestination(fd: number): DestinationStream {
  return { write: (line: string) => void writeSync(fd, formatLogLine(line.trimEnd())) };
}
