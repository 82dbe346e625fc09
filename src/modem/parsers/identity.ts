import { asLines, parseError } from "./fields.js";

/**
 * AT+CGMI / +CGMM / +CGMR (and +GMI/+GMM/+GMR): free text, sometimes prefixed with the
 * command name (SIMCom `+CGMR: LE11B12SIM7600M22`) or a label (SIM7000/SIM7080 `Revision:1951B16SIM7080`),
 * sometimes over several lines (Nokia), padded with spaces (Wavecom ` MULTIBAND  900E  1800 `).
 */
export function parseIdentityText(reply: string | readonly string[], what: string): string {
  const lines = asLines(reply)
    // A line with another command's prefix is a URC that slipped in (`+QIND: SMS DONE`), not identity.
    .filter((l) => !/^\s*[+^#$%][A-Z0-9]+:/i.test(l) || /^\s*\+?(?:C?GM[IMR]|GSN):/i.test(l))
    .map((l) =>
      l
        .replace(/^\s*\+?(?:C?GM[IMR]|GSN):\s*/i, "")
        .replace(/^\s*Revision:\s*/i, "")
        .trim()
        .replace(/^"(.*)"$/, "$1"),
    )
    .filter((l) => l !== "");
  if (lines.length === 0) throw parseError(what, reply, "empty");
  return lines.join(" ").replace(/\s+/g, " ");
}

export interface Imei {
  imei: string;
  /** The Luhn check digit is right (placeholder IMEIs such as 111111111111111 fail it). */
  luhnValid: boolean;
}

/** AT+CGSN (or AT+GSN) → the IMEI: 15 digits (14 + Luhn digit), or 16 for an IMEISV. */
export function parseCgsnExec(reply: string | readonly string[]): Imei {
  const lines = asLines(reply);
  for (const line of lines) {
    const m = /^\s*(?:\+C?GSN:\s*)?"?(\d{14,17})"?\s*$/i.exec(line);
    if (m !== null) return { imei: m[1]!, luhnValid: m[1]!.length === 15 && luhn(m[1]!) };
  }
  throw parseError("+CGSN", lines, "no IMEI");
}

/** AT+CIMI → the IMSI: 6 to 15 digits, MCC first. */
export function parseCimiExec(reply: string | readonly string[]): string {
  const lines = asLines(reply);
  for (const line of lines) {
    const m = /^\s*(?:\+CIMI:\s*)?"?(\d{6,15})"?\s*$/i.exec(line);
    if (m !== null) return m[1]!;
  }
  throw parseError("+CIMI", lines, "no IMSI");
}

function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}
