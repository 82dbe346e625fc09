import { isIPv4, isIPv6 } from "node:net";
import { afterPrefix, asLines, decField, parseError, splitFields } from "./fields.js";

/** The addresses the network gave one PDP context. */
export interface PdpAddress {
  cid: number;
  ipv4?: string;
  ipv6?: string;
}

/**
 * AT+CGPADDR → one `+CGPADDR: <cid>[,<PDP_addr_1>[,<PDP_addr_2>]]` line per context
 * (27.007 §10.1.14). This, not +CGDCONT? (which shows the configured address, 0.0.0.0 on
 * Quectel and SIMCom while the bearer is up), is where the network's address is. Addresses
 * come quoted (Quectel) or bare (SIMCom); IPv6 in colon form or, before +CGPIAF, as 16 dotted
 * bytes. 0.0.0.0, :: or an empty field is no address.
 */
export function parseCgpaddrExec(reply: string | readonly string[]): PdpAddress[] {
  const out: PdpAddress[] = [];
  for (const line of asLines(reply)) {
    const rest = afterPrefix(line, "+CGPADDR:");
    if (rest === undefined) continue;
    const f = splitFields(rest);
    const cid = decField(f?.[0]);
    if (f === null || cid === undefined || Number.isNaN(cid)) throw parseError("+CGPADDR", line);
    const entry: PdpAddress = { cid };
    for (const { text } of f.slice(1)) {
      const a = text.trim();
      if (a === "") continue;
      const v6 = isIPv6(a) ? a : dottedIpv6(a);
      if (v6 !== undefined) {
        if (!/^[0:]+$/.test(v6)) entry.ipv6 = compressIpv6(v6);
      } else if (isIPv4(a)) {
        if (a !== "0.0.0.0") entry.ipv4 = a;
      } else {
        throw parseError("+CGPADDR", line, `not an address: ${JSON.stringify(a)}`);
      }
    }
    out.push(entry);
  }
  return out;
}

/** 27.007's IPv6 as 16 dotted decimal bytes ("38.7.251.144.…") in colon form; undefined if it is not that. */
export function dottedIpv6(s: string): string | undefined {
  const b = s.split(".");
  if (b.length !== 16 || !b.every((x) => /^\d{1,3}$/.test(x) && Number(x) <= 255)) return undefined;
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((Number(b[i]) << 8) | Number(b[i + 1])).toString(16));
  return groups.join(":");
}

/** RFC 5952 text: lower case, no leading zeros, the longest run (≥ 2) of zero groups as "::". */
function compressIpv6(a: string): string {
  const [head = "", tail] = a.toLowerCase().split("::");
  const h = head === "" ? [] : head.split(":");
  const t = tail === undefined || tail === "" ? [] : tail.split(":");
  const groups = tail === undefined ? h : [...h, ...Array<string>(8 - h.length - t.length).fill("0"), ...t];
  const g = groups.map((x) => x.replace(/^0+(?=.)/, ""));
  let best = { at: -1, len: 0 };
  for (let i = 0; i < 8;) {
    let j = i;
    while (j < 8 && g[j] === "0") j++;
    if (j - i > best.len) best = { at: i, len: j - i };
    i = j === i ? i + 1 : j;
  }
  if (best.len < 2) return g.join(":");
  return `${g.slice(0, best.at).join(":")}::${g.slice(best.at + best.len).join(":")}`;
}
