import type { Operator, OperatorEntry } from "../types.js";
import { accessTech } from "./act.js";
import { asLines, decField, decodeUcs2Hex, findPrefixed, parseError, splitFields } from "./fields.js";

export interface CharsetOption {
  /** The modem's +CSCS: in UCS2 mode names (even numeric ones) arrive as UCS2 hex. */
  charset?: string;
}

const text = (s: string, o: CharsetOption) => (o.charset?.toUpperCase() === "UCS2" ? decodeUcs2Hex(s) : s);

/**
 * AT+COPS? → `+COPS: <mode>[,<format>,<oper>[,<AcT>]]`. <format> 0/1 are the long/short
 * name, 2 the numeric MCC+MNC. `+COPS: 0` alone means no operator is selected.
 */
export function parseCopsRead(reply: string | readonly string[], opts: CharsetOption = {}): Operator {
  const lines = asLines(reply);
  const f = splitFields(findPrefixed(lines, "+COPS:"));
  const mode = decField(f?.[0]);
  if (f === null || mode === undefined || Number.isNaN(mode)) throw parseError("+COPS?", lines);
  const op: Operator = { mode };
  if (f.length < 3 || f[2]!.text === "") return op;
  const format = decField(f[1]);
  const oper = text(f[2]!.text, opts).trim();
  if (format === 2) {
    if (!/^\d{5,6}$/.test(oper)) throw parseError("+COPS?", lines, "numeric operator is not MCC+MNC");
    Object.assign(op, { numeric: oper, mcc: oper.slice(0, 3), mnc: oper.slice(3) });
  } else {
    op.name = oper;
  }
  const act = accessTech(decField(f[3]));
  if (act !== undefined) op.act = act;
  return op;
}

// One operator entry: `(<stat>,"long","short","numeric"[,<AcT>])`. Some firmware closes the
// parenthesis before the AcT (TM-506: `"310260"),2)`); the numeric field is always quoted,
// which is what tells an operator apart from the trailing `(0,1,2,3,4)` mode lists.
const ENTRY =
  /\(\s*(\d)\s*,\s*("[^"]*"|[^,()"]*)\s*,\s*("[^"]*"|[^,()"]*)\s*,\s*"([^"]*)"\s*(?:,\s*(\d+)\s*)?\)(?:\s*,\s*(\d+)\s*\))?/g;
const STATUS: OperatorEntry["status"][] = ["unknown", "available", "current", "forbidden"];

/**
 * AT+COPS=? → the operators in range. Tolerates what real modems send (ModemManager's
 * test_cops_response_* tables): one line or several, CRLF inside the list, commas inside
 * names, broken parentheses, a missing comma, no AcT. Returns [] when the reply lists no
 * operator at all (`+COPS: (0,1,2,3),(1,2,3,4)`).
 */
export function parseCopsTest(reply: string | readonly string[], opts: CharsetOption = {}): OperatorEntry[] {
  const lines = asLines(reply);
  const all = lines.join("");
  if (!/\+COPS:/i.test(all)) throw parseError("+COPS=?", lines, "no +COPS line");
  const out: OperatorEntry[] = [];
  for (const m of all.matchAll(ENTRY)) {
    const entry: OperatorEntry = { status: STATUS[Number(m[1])] ?? "unknown", numeric: text(m[4]!, opts) };
    const long = unquote(m[2]!, opts);
    const short = unquote(m[3]!, opts);
    if (long) entry.long = long;
    if (short) entry.short = short;
    const act = accessTech(m[5] !== undefined ? Number(m[5]) : m[6] !== undefined ? Number(m[6]) : undefined);
    if (act !== undefined) entry.act = act;
    out.push(entry);
  }
  return out;
}

function unquote(s: string, opts: CharsetOption): string {
  const t = s.trim();
  return text(t.startsWith('"') ? t.slice(1, -1) : t, opts);
}
