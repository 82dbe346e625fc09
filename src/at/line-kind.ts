/**
 * One pure classifier for every line the modem sends: is it a final result code, and which?
 * The table follows ModemManager's response parser (mm-serial-parsers.c), including the
 * near-misses that must NOT end a command: `+CME ERROR:` with nothing after the colon is
 * incomplete, `MODEM ERROR: apple` is not a code, `UNKNOWN COMMAND` is just text.
 * Total: any string gets a kind, nothing throws.
 */
export type CallFinal = "NO CARRIER" | "BUSY" | "NO ANSWER" | "NO DIALTONE";

export type LineKind =
  | { kind: "ok" }
  | { kind: "connect"; text: string }
  | { kind: "error"; final: "ERROR" | "COMMAND NOT SUPPORT" | "MODEM ERROR" | CallFinal; code?: number }
  | { kind: "cme"; code?: number; text: string }
  | { kind: "cms"; code?: number; text: string }
  | { kind: "info" };

const INFO: LineKind = { kind: "info" };
const OK: LineKind = { kind: "ok" };

// "+CME ERROR:" followed by at least one character (a space counts: "+CME ERROR: " is final,
// "+CME ERROR:" is not). A numeric value may be padded: "+CME ERROR:53", "+CME ERROR: 10".
const EXT_ERROR = /^\+(CME|CMS) ERROR:(.+)$/;
const MODEM_ERROR = /^MODEM ERROR:\s*(\d+)\s*$/;
const CONNECT = /^CONNECT(?:\s.*|\s*)$/;
const CALL_FINALS: readonly CallFinal[] = ["NO CARRIER", "BUSY", "NO ANSWER", "NO DIALTONE"];

export function classifyLine(raw: string): LineKind {
  // Leading control bytes are echo residue (an ESC we sent, a stray NUL): ignore them.
  const body = raw.charCodeAt(0) < 0x20 ? raw.replace(/^[\x00-\x1f]+/, "") : raw;
  const line = body.trimEnd();
  if (line === "OK") return OK;
  if (line === "ERROR" || line === "COMMAND NOT SUPPORT") return { kind: "error", final: line };
  if (line.startsWith("+CM")) {
    const m = EXT_ERROR.exec(body);
    if (m !== null) {
      const text = m[2]!.trim();
      const kind = m[1] === "CME" ? "cme" : "cms";
      return /^\d+$/.test(text) ? { kind, code: Number(text), text } : { kind, text };
    }
    return INFO;
  }
  if (line.startsWith("MODEM ERROR:")) {
    const m = MODEM_ERROR.exec(line);
    return m === null ? INFO : { kind: "error", final: "MODEM ERROR", code: Number(m[1]) };
  }
  if (line.startsWith("CONNECT") && CONNECT.test(line)) return { kind: "connect", text: line };
  if ((CALL_FINALS as readonly string[]).includes(line)) return { kind: "error", final: line as CallFinal };
  return INFO;
}

export function isFinal(kind: LineKind): boolean {
  return kind.kind !== "info";
}
