import type { NetworkTime } from "../types.js";
import { asLines, findPrefixed, parseError } from "./fields.js";

// "yy/MM/dd,hh:mm:ss±zz" (27.007 §8.15); the zone is in quarter hours. Quectel's +QLTS uses a
// four-digit year and appends ",<dst>".
const TIME = /^"?(\d{2}|\d{4})\/(\d{2})\/(\d{2}),(\d{2}):(\d{2}):(\d{2})(?:([+-])(\d{1,2}))?(?:,(\d))?"?$/;

/** AT+CCLK? → the modem's real-time clock, which NITZ may or may not have set. */
export function parseCclkRead(reply: string | readonly string[]): NetworkTime {
  const lines = asLines(reply);
  return parseClock(findPrefixed(lines, "+CCLK:"), "rtc", lines);
}

/** Quectel AT+QLTS=<mode> → the time last received from the network; `""` when none was. */
export function parseQltsExec(reply: string | readonly string[]): NetworkTime | null {
  const lines = asLines(reply);
  const v = findPrefixed(lines, "+QLTS:");
  if (v === '""' || v === "") return null;
  return parseClock(v, "nitz", lines);
}

function parseClock(value: string, source: NetworkTime["source"], lines: readonly string[]): NetworkTime {
  const m = TIME.exec(value.trim());
  if (m === null) throw parseError(source === "nitz" ? "+QLTS" : "+CCLK?", lines);
  const year = m[1]!.length === 2 ? 2000 + Number(m[1]) : Number(m[1]);
  const [mo, d, h, mi, s] = [m[2], m[3], m[4], m[5], m[6]].map(Number) as [number, number, number, number, number];
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) throw parseError("clock", lines, "field out of range");
  const tzMinutes = m[7] === undefined ? null : (m[7] === "-" ? -1 : 1) * Number(m[8]) * 15;
  const epochMs = Date.UTC(year, mo - 1, d, h, mi, s) - (tzMinutes ?? 0) * 60_000;
  const pad = (n: number) => String(n).padStart(2, "0");
  const off =
    tzMinutes === null
      ? "Z"
      : `${tzMinutes < 0 ? "-" : "+"}${pad(Math.floor(Math.abs(tzMinutes) / 60))}:${pad(Math.abs(tzMinutes) % 60)}`;
  const iso = `${year}-${pad(mo)}-${pad(d)}T${pad(h)}:${pad(mi)}:${pad(s)}${off}`;
  const out: NetworkTime = { iso, epochMs, tzMinutes, source };
  if (m[9] !== undefined) out.dst = Number(m[9]);
  return out;
}
