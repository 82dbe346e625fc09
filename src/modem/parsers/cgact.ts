import { afterPrefix, asLines, decField, parseError, splitFields } from "./fields.js";

/** AT+CGACT? → one `+CGACT: <cid>,<state>` per defined context (27.007 §10.1.10): cid → active. */
export function parseCgactRead(reply: string | readonly string[]): Map<number, boolean> {
  const lines = asLines(reply);
  const out = new Map<number, boolean>();
  for (const l of lines) {
    const rest = afterPrefix(l, "+CGACT:");
    if (rest === undefined) continue;
    const f = splitFields(rest);
    const cid = decField(f?.[0]);
    const state = decField(f?.[1]);
    if (cid === undefined || Number.isNaN(cid) || (state !== 0 && state !== 1)) throw parseError("+CGACT?", lines);
    out.set(cid, state === 1);
  }
  return out;
}
