/** How many GSM 7-bit septets a text takes (escapes count 2), undefined when it needs UCS2. Injected: the codec lives in sms/. */
export type Septets = (text: string) => number | undefined;

/** One SMS: a reply longer than this would be split or sent as UCS2 (70). */
export const REPLY_MAX = 160;

/**
 * A value made safe for a GSM 7-bit SMS: accents dropped where that leaves a GSM character
 * (Telefónica → Telefonica), anything else outside the alphabet becomes `?`, whitespace one space.
 * One non-GSM character would turn the whole reply into UCS2 and cut it to 70 characters.
 */
export function gsmSafe(s: string, septets: Septets): string {
  let out = "";
  for (const ch of s.replace(/\s+/g, " ")) {
    if (septets(ch) !== undefined) out += ch;
    else {
      const base = ch.normalize("NFD").replace(/\p{M}/gu, "");
      out += base !== "" && septets(base) !== undefined ? base : "?";
    }
  }
  return out;
}

/** The longest prefix of a GSM-safe text that fits `max` septets, marked `..` when cut. */
export function cut(s: string, max: number, septets: Septets): string {
  if ((septets(s) ?? Infinity) <= max) return s;
  let out = "";
  let used = 0;
  for (const ch of s) {
    const n = septets(ch) ?? 1;
    if (used + n > max - 2) break;
    out += ch;
    used += n;
  }
  return `${out}..`;
}

/**
 * A reply that echoes a request id: `#<rid> ` and then the reply, fitted into the room that is
 * left, so the whole is still one SMS. Without an id, the reply as it always was.
 */
export function echoed(rid: string | undefined, build: (max: number) => string): string {
  if (rid === undefined) return build(REPLY_MAX);
  const prefix = `#${rid} `;
  return `${prefix}${build(REPLY_MAX - prefix.length)}`;
}

/** A reply as the operator reads it: the request id it echoes (null for none), and the reply itself. */
export function readReply(text: string): { rid: string | null; text: string } {
  const m = /^#([0-9a-z]{1,8}) (.*)$/s.exec(text.trim());
  return m ? { rid: m[1]!, text: m[2]! } : { rid: null, text: text.trim() };
}

export interface Field {
  text: string;
  /** May be shortened (with `..`) to use the room that is left; otherwise a field is whole or absent. */
  shorten?: boolean;
}

/**
 * A reply of one SMS: the head, then fields in priority order, each whole or left out when it
 * does not fit (a later, shorter one may still fit); a `shorten` field takes what room is left.
 * The result is always GSM 7-bit and at most 160 septets, whatever the values are.
 */
export function fitReply(
  head: string,
  fields: ReadonlyArray<Field | string | null | undefined>,
  septets: Septets,
  max = REPLY_MAX,
): string {
  let out = cut(gsmSafe(head, septets), max, septets);
  let used = septets(out) ?? out.length;
  for (const f of fields) {
    if (f === null || f === undefined) continue;
    const field = typeof f === "string" ? { text: f } : f;
    const text = gsmSafe(field.text, septets);
    if (text === "") continue;
    const room = max - used - 1;
    const n = septets(text) ?? Infinity;
    if (n <= room) {
      out += ` ${text}`;
      used += n + 1;
    } else if (field.shorten && room >= 6) {
      const c = cut(text, room, septets);
      out += ` ${c}`;
      used += (septets(c) ?? c.length) + 1;
    }
  }
  return out;
}

/** key=value, or nothing when the value is unknown (an absent field says "not known" in fewer characters). */
export function kv(key: string, value: string | number | boolean | null | undefined): string | null {
  if (value === null || value === undefined || value === "") return null;
  return `${key}=${typeof value === "boolean" ? (value ? "1" : "0") : String(value).replace(/\s+/g, "_")}`;
}

/** 93784 s → 1d2h; 4000 → 1h6m; 59 → 59s. */
export function duration(s: number): string {
  if (!Number.isFinite(s) || s < 0) return "?";
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d > 0) return `${d}d${h}h`;
  if (h > 0) return `${h}h${m}m`;
  if (m > 0) return `${m}m${Math.floor(s % 60)}s`;
  return `${Math.floor(s)}s`;
}

/** Bytes in the largest unit that keeps 3 significant figures: 12345678 → 12.3MB. */
export function bytes(n: number): string {
  const units = ["B", "kB", "MB", "GB", "TB"];
  let v = n;
  let u = 0;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  return `${v >= 100 || u === 0 ? Math.round(v) : v.toFixed(v >= 10 ? 1 : 2).replace(/\.?0+$/, "")}${units[u]}`;
}
