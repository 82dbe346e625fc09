import type { PdpContext } from "../types.js";
import { afterPrefix, asLines, decField, parseError, splitFields } from "./fields.js";

/**
 * AT+CGDCONT? → one `+CGDCONT: <cid>,<PDP_type>,<APN>,<PDP_addr>,…` line per context. The APN
 * may be an empty unquoted field (Nokia `1,"IP",,,0,0`); SIMCom sends only three fields.
 */
export function parseCgdcontRead(reply: string | readonly string[]): PdpContext[] {
  const lines = asLines(reply);
  const out: PdpContext[] = [];
  for (const line of lines) {
    const rest = afterPrefix(line, "+CGDCONT:");
    if (rest === undefined) continue;
    const f = splitFields(rest);
    const cid = decField(f?.[0]);
    if (f === null || f.length < 2 || cid === undefined || Number.isNaN(cid)) throw parseError("+CGDCONT?", line);
    const ctx: PdpContext = { cid, type: f[1]!.text, apn: f[2]?.text ?? "" };
    // Dual-stack contexts put both addresses in the one quoted field ("0.0.0.0,0.0.0.0.0.0…" on
    // Quectel); all zeros is no address, else the first that is not.
    const addr = (f[3]?.text ?? "").split(/[, ]+/).find((a) => a !== "" && !/^[0.:]+$/.test(a));
    if (addr !== undefined) ctx.address = addr;
    out.push(ctx);
  }
  return out;
}
