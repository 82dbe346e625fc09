import { asLines, decField, findPrefixed, parseError, splitFields } from "./fields.js";

/** AT+CFUN? → `+CFUN: <fun>[,…]`: 1 full, 0 minimum, 4 radio off; vendor values kept. */
export function parseCfunRead(reply: string | readonly string[]): number {
  const lines = asLines(reply);
  const v = decField(splitFields(findPrefixed(lines, "+CFUN:"))?.[0]);
  // ZTE K3565-Z answers AT+CFUN? with the =? range "(0-1,4-7),(0-1)": not a state.
  if (v === undefined || Number.isNaN(v)) throw parseError("+CFUN?", lines);
  return v;
}
