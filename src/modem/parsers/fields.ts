import { CellgateError } from "../../core/index.js";

/**
 * Shared tokenising for AT replies: prefixes, comma-separated fields that may be quoted,
 * padded with spaces or zeros, or empty. Every failure is a CG_ERR_MODEM_PARSE that quotes
 * the reply (ModemManager: "Couldn't parse +CFUN response: %s").
 */
export interface Field {
  text: string;
  quoted: boolean;
}

export function parseError(what: string, raw: string | readonly string[], why?: string): CellgateError<"CG_ERR_MODEM_PARSE"> {
  const text = typeof raw === "string" ? raw : raw.join("\n");
  return new CellgateError("CG_ERR_MODEM_PARSE", `cannot parse ${what} reply${why ? ` (${why})` : ""}: ${JSON.stringify(text)}`, {
    raw: text,
  });
}

/** Splits on commas outside double quotes; `null` when a quote is not closed. */
export function splitFields(s: string): Field[] | null {
  const out: Field[] = [];
  let cur = "";
  let quoted = false;
  let inQuote = false;
  for (const ch of s) {
    if (ch === '"') {
      if (!inQuote) {
        if (quoted || cur.trim() !== "") return null; // a quote in the middle of a field
        cur = "";
      }
      inQuote = !inQuote;
      quoted = true;
      continue;
    }
    if (ch === "," && !inQuote) {
      out.push({ text: quoted ? cur : cur.trim(), quoted });
      cur = "";
      quoted = false;
      continue;
    }
    if (quoted && !inQuote) {
      if (ch.trim() === "") continue; // blanks after a closing quote
      return null; // text after a closing quote: `"0B,"01...` style garbage
    }
    cur += ch;
  }
  if (inQuote) return null;
  out.push({ text: quoted ? cur : cur.trim(), quoted });
  return out;
}

/** The text after `prefix` (`+CSQ:`), with or without a space after the colon; undefined if absent. */
export function afterPrefix(line: string, prefix: string): string | undefined {
  const t = line.trim();
  if (!t.toUpperCase().startsWith(prefix.toUpperCase())) return undefined;
  return t.slice(prefix.length).trim();
}

/** The first line that carries `prefix`, as the text after it. */
export function findPrefixed(lines: readonly string[], prefix: string, what = prefix): string {
  for (const l of lines) {
    const rest = afterPrefix(l, prefix);
    if (rest !== undefined) return rest;
  }
  throw parseError(what, lines, `no ${prefix} line`);
}

export function asLines(reply: string | readonly string[]): readonly string[] {
  return typeof reply === "string" ? reply.split(/\r?\n|\r/).filter((l) => l.trim() !== "") : reply;
}

/** A decimal integer field (leading zeros and sign allowed); undefined when empty. */
export function decField(f: Field | undefined): number | undefined {
  if (f === undefined || f.text.trim() === "") return undefined;
  const t = f.text.trim();
  return /^[+-]?\d+$/.test(t) ? Number(t) : Number.NaN;
}

/** A hexadecimal field such as a LAC, TAC or cell id; undefined when empty, NaN when not hex. */
export function hexField(f: Field | undefined): number | undefined {
  if (f === undefined || f.text.trim() === "") return undefined;
  const t = f.text.trim().replace(/^0x/i, "");
  return /^[0-9A-Fa-f]+$/.test(t) ? Number.parseInt(t, 16) : Number.NaN;
}

/** UCS2 hex (`004D006F`) → text when the modem's character set is UCS2; other text unchanged. */
export function decodeUcs2Hex(s: string): string {
  if (s.length === 0 || s.length % 4 !== 0 || !/^[0-9A-Fa-f]+$/.test(s)) return s;
  const units: number[] = [];
  for (let i = 0; i < s.length; i += 4) units.push(Number.parseInt(s.slice(i, i + 4), 16));
  return String.fromCharCode(...units);
}
