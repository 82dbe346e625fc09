import { CellgateError } from "../core/index.js";

/**
 * Validation at the edge: API bodies become typed records, or CG_ERR_API_RESPONSE with the raw
 * body. Tolerant where the live API is known to differ from its spec: enum values outside the
 * spec are kept as strings, numbers may arrive as strings (operator_mcc 310 vs "310"), any
 * field may be null or absent.
 */
export type Json = Record<string, unknown>;

/** An open enum: the known values, and any other string the API may add. */
export type Open<T extends string> = T | (string & Record<never, never>);

export function object(v: unknown, what: string): Json {
  if (typeof v !== "object" || v === null || Array.isArray(v)) throw invalid(what, v, "not an object");
  return v as Json;
}

export function invalid(what: string, raw: unknown, why: string): CellgateError<"CG_ERR_API_RESPONSE"> {
  const text = JSON.stringify(raw) ?? String(raw);
  return new CellgateError("CG_ERR_API_RESPONSE", `${what}: ${why}`, {
    raw: text.length > 2000 ? `${text.slice(0, 2000)}…` : text,
  });
}

export function str(o: Json, key: string, what: string): string {
  const v = o[key];
  if (typeof v === "string") return v;
  if (typeof v === "number") return String(v);
  throw invalid(what, o, `${key} is missing or not a string`);
}

export function strOrNull(o: Json, key: string): string | null {
  const v = o[key];
  if (typeof v === "string") return v;
  if (typeof v === "number") return String(v);
  return null;
}

export function numOrNull(o: Json, key: string): number | null {
  const v = o[key];
  if (typeof v === "number" && Number.isFinite(v)) return v;
  if (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v))) return Number(v);
  return null;
}

export function boolOrNull(o: Json, key: string): boolean | null {
  const v = o[key];
  if (typeof v === "boolean") return v;
  if (v === "true" || v === "false") return v === "true";
  return null;
}

export function strings(o: Json, key: string): string[] {
  const v = o[key];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
}

export function objOrNull(o: Json, key: string): Json | null {
  const v = o[key];
  return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Json) : null;
}

/** A SID of the expected kind (`DE` + 32 hex…). */
export function sid(o: Json, key: string, prefix: string, what: string): string {
  const v = str(o, key, what);
  if (!new RegExp(`^${prefix}[0-9a-fA-F]{32}$`).test(v))
    throw invalid(what, o, `${key} ${JSON.stringify(v)} is not a ${prefix} SID`);
  return v;
}
