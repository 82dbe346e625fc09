import { afterPrefix, asLines, decField, parseError, splitFields } from "./fields.js";

/** A message as +CMGL/+CMGR show it in PDU mode: where it is, its <stat>, its PDU (SMSC included). */
export interface StoredSms {
  index: number;
  /** 27.005 <stat>: 0 received unread, 1 received read, 2 stored unsent, 3 stored sent; null when the modem omits it. */
  stat: number | null;
  /** The <length> header field: TPDU octets. */
  length: number | null;
  pdu: string;
}

const HEX = /^[0-9A-Fa-f]+$/;

/**
 * AT+CMGL=4 in PDU mode: `+CMGL: <index>,<stat>,[<alpha>],<length>` then the PDU on the next
 * line. Tolerates a missing alpha field (Pantech), junk lines between entries
 * (python-gsmmodem's test inserts one) and a truncated last PDU (kept; decoding rejects it).
 */
export function parseCmglPdu(reply: string | readonly string[]): StoredSms[] {
  const lines = asLines(reply);
  const out: StoredSms[] = [];
  for (let i = 0; i < lines.length; i++) {
    const rest = afterPrefix(lines[i]!, "+CMGL:");
    if (rest === undefined) continue;
    const f = splitFields(rest);
    const index = decField(f?.[0]);
    if (f === null || index === undefined || Number.isNaN(index)) throw parseError("+CMGL", lines[i]!);
    const stat = decField(f[1]);
    const length = decField(f[f.length - 1]);
    let pdu: string | undefined;
    while (pdu === undefined && i + 1 < lines.length && afterPrefix(lines[i + 1]!, "+CMGL:") === undefined) {
      const next = lines[++i]!.trim();
      if (HEX.test(next)) pdu = next;
    }
    if (pdu === undefined) throw parseError("+CMGL", lines, `no PDU after entry ${index}`);
    out.push({
      index,
      stat: stat === undefined || Number.isNaN(stat) ? null : stat,
      length: length === undefined || Number.isNaN(length) ? null : length,
      pdu,
    });
  }
  return out;
}

/**
 * AT+CMGR=<index> in PDU mode: `+CMGR: <stat>,[<alpha>],<length>` and the PDU, on the next line
 * or after a space on the same line. Variants seen: `+CMGR: ,,27` (ZTE, no stat),
 * `+CMGR: 0,23` (no alpha), `+CMGR: 4,1,,151` (an extra leading field), `+CMGR: 24` (length
 * only). Undefined when the slot is empty (OK alone).
 */
export function parseCmgrPdu(reply: string | readonly string[], index: number): StoredSms | undefined {
  const lines = asLines(reply);
  const at = lines.findIndex((l) => afterPrefix(l, "+CMGR:") !== undefined);
  if (at < 0) return undefined;
  let head = afterPrefix(lines[at]!, "+CMGR:")!;
  let pdu: string | undefined;
  const sameLine = /^(.*?)\s+([0-9A-Fa-f]{14,})$/.exec(head);
  if (sameLine !== null) {
    head = sameLine[1]!;
    pdu = sameLine[2]!;
  } else {
    pdu = lines
      .slice(at + 1)
      .map((l) => l.trim())
      .find((l) => HEX.test(l));
  }
  const f = splitFields(head);
  if (f === null || pdu === undefined) throw parseError("+CMGR", lines, pdu === undefined ? "no PDU" : "bad header");
  const nums = f.map((x) => decField(x));
  const length = nums[nums.length - 1];
  // <stat> is the first field, or the second when a leading field was added (4 fields).
  const stat = f.length >= 4 ? nums[1] : f.length >= 2 ? nums[0] : undefined;
  return {
    index,
    stat: stat === undefined || Number.isNaN(stat) ? null : stat,
    length: length === undefined || Number.isNaN(length) ? null : length,
    pdu,
  };
}

export interface MemoryUsage {
  memory: string;
  used: number;
  total: number;
}

/** AT+CPMS? → `+CPMS: <mem1>,<used1>,<total1>,<mem2>,…,<mem3>,…` (ModemManager cpms_query_test). */
export function parseCpmsRead(reply: string | readonly string[]): [MemoryUsage, MemoryUsage, MemoryUsage] {
  const lines = asLines(reply);
  const rest = lines.map((l) => afterPrefix(l, "+CPMS:")).find((r) => r !== undefined);
  const f = rest === undefined ? null : splitFields(rest);
  if (f === null || f.length < 9) throw parseError("+CPMS?", lines);
  const usage = (i: number): MemoryUsage => {
    const used = decField(f[i + 1]);
    const total = decField(f[i + 2]);
    if (used === undefined || total === undefined || Number.isNaN(used) || Number.isNaN(total)) throw parseError("+CPMS?", lines);
    return { memory: f[i]!.text.trim(), used, total };
  };
  return [usage(0), usage(3), usage(6)];
}

/**
 * AT+CPMS=? → the memories allowed for <mem1>, <mem2>, <mem3> (ModemManager cpms_format_tests):
 * parenthesised lists, bare names (Huawei MU609), empty lists (Nokia C6), spaces anywhere.
 */
export function parseCpmsTest(reply: string | readonly string[]): [string[], string[], string[]] {
  const lines = asLines(reply);
  const rest = lines.map((l) => afterPrefix(l, "+CPMS:")).find((r) => r !== undefined);
  if (rest === undefined) throw parseError("+CPMS=?", lines);
  const groups: string[][] = [];
  const re = /\(([^()]*)\)|"([^"]*)"|,\s*(?=,|$)/g;
  for (const m of rest.matchAll(re)) {
    if (m[1] !== undefined) groups.push([...m[1].matchAll(/"([^"]*)"/g)].map((x) => x[1]!));
    else if (m[2] !== undefined) groups.push([m[2]]);
    else groups.push([]);
  }
  return [groups[0] ?? [], groups[1] ?? [], groups[2] ?? []];
}

/** AT+CPMS=… → `+CPMS: <used1>,<total1>,<used2>,<total2>[,<used3>,<total3>]`. */
export function parseCpmsWrite(reply: string | readonly string[]): Array<{ used: number; total: number }> {
  const lines = asLines(reply);
  const rest = lines.map((l) => afterPrefix(l, "+CPMS:")).find((r) => r !== undefined);
  const v = rest === undefined ? null : splitFields(rest)?.map((x) => decField(x));
  if (v == null || v.length < 2 || v.length % 2 !== 0 || v.some((n) => n === undefined || Number.isNaN(n)))
    throw parseError("+CPMS=", lines);
  const out: Array<{ used: number; total: number }> = [];
  for (let i = 0; i < v.length; i += 2) out.push({ used: v[i]!, total: v[i + 1]! });
  return out;
}

/** The +CMTI URC: `+CMTI: "SM",3`. `+CMTI: ,-1` (SIM7000G, no storage) is an error. */
export function parseCmti(line: string): { memory: string; index: number } {
  const m = /^\s*\+CMTI:\s*"([^"]+)"\s*,\s*(\d+)\s*$/.exec(line);
  if (m === null) throw parseError("+CMTI", line, "no storage or index");
  return { memory: m[1]!, index: Number(m[2]) };
}

/** AT+CMGS=… → `+CMGS: <mr>`; OK without it is malformed (warthog618's ErrMalformedResponse). */
export function parseCmgsWrite(reply: string | readonly string[]): number {
  const lines = asLines(reply);
  const rest = lines.map((l) => afterPrefix(l, "+CMGS:")).find((r) => r !== undefined);
  const mr = decField(splitFields(rest ?? "")?.[0]);
  if (mr === undefined || Number.isNaN(mr) || mr < 0 || mr > 255) throw parseError("+CMGS", lines, "no message reference");
  return mr;
}
