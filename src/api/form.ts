/**
 * The API's parameter encoding (twilio-node's RequestClient): form bodies and query strings
 * with repeated keys for arrays (`InternationalRoaming=data&InternationalRoaming=messaging`),
 * booleans as `true`/`false`, dates as ISO 8601 UTC without milliseconds; undefined is left out.
 */
export type ParamValue = string | number | boolean | Date | readonly (string | number | boolean)[] | undefined;
export type Params = Record<string, ParamValue>;

export function encodeParams(params: Params): string {
  const out = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) {
      for (const v of value as readonly (string | number | boolean)[]) out.append(key, String(v));
    } else if (value instanceof Date) {
      out.append(key, `${value.toISOString().slice(0, 19)}Z`);
    } else {
      out.append(key, String(value));
    }
  }
  return out.toString();
}
