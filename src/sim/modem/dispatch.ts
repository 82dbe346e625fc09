import type { CommandTable, Ctx, Result } from "./at-handlers/types.js";

interface Segment {
  name: string;
  form: "exec" | "read" | "test" | "write";
  args: string;
}

/**
 * Splits the text after "AT" into commands: extended ones separated by `;`
 * (`+COPS=3,2;+COPS?`), basic ones run together (`E0V1`). Null when it does not parse.
 */
export function parseCommandLine(body: string): Segment[] | null {
  const out: Segment[] = [];
  for (const part of splitSemicolons(body)) {
    let rest = part.trim();
    if (rest === "" && out.length === 0 && body.trim() === "") return [{ name: "", form: "exec", args: "" }];
    while (rest !== "") {
      const ext = /^([+^#$%*][A-Za-z0-9]+)(.*)$/s.exec(rest);
      if (ext !== null) {
        out.push(extended(ext[1]!.toUpperCase(), ext[2]!));
        rest = "";
        continue;
      }
      const basic = /^(&?[A-Za-z])(\d*)/.exec(rest);
      if (basic === null) return null;
      out.push({ name: basic[1]!.toUpperCase(), form: "exec", args: basic[2]! });
      rest = rest.slice(basic[0].length);
    }
  }
  return out;
}

function extended(name: string, tail: string): Segment {
  const t = tail.trim();
  if (t === "") return { name, form: "exec", args: "" };
  if (t === "?") return { name, form: "read", args: "" };
  if (t === "=?") return { name, form: "test", args: "" };
  if (t.startsWith("=")) return { name, form: "write", args: t.slice(1).trim() };
  return { name, form: "exec", args: t };
}

function splitSemicolons(s: string): string[] {
  const out: string[] = [];
  let cur = "";
  let q = false;
  for (const ch of s) {
    if (ch === '"') q = !q;
    if (ch === ";" && !q) {
      out.push(cur);
      cur = "";
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

/** Runs each command of the line; the information lines add up, the first failure ends it. */
export function dispatch(body: string, table: CommandTable, ctx: Ctx): Result {
  const segments = parseCommandLine(body);
  if (segments === null) return { error: true };
  const lines: string[] = [];
  const urcs: string[] = [];
  for (const seg of segments) {
    const handler = table[seg.name]?.[seg.form];
    if (handler === undefined) return { error: true };
    const r = handler(seg.args, ctx);
    if (!("ok" in r)) return r;
    lines.push(...r.ok);
    urcs.push(...(r.urcs ?? []));
  }
  return urcs.length > 0 ? { ok: lines, urcs } : { ok: lines };
}
