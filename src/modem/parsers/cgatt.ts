import { asLines, decField, findPrefixed, parseError, splitFields } from "./fields.js";

/** AT+CGATT? → `+CGATT: <state>`: 1 attached to the packet domain, 0 detached. */
export function parseCgattRead(reply: string | readonly string[]): boolean {
  const lines = asLines(reply);
  const v = decField(splitFields(findPrefixed(lines, "+CGATT:"))?.[0]);
  if (v !== 0 && v !== 1) throw parseError("+CGATT?", lines);
  return v === 1;
}
