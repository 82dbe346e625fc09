/**
 * How the systemd unit runs the daemon: node's flags from `ExecStart=` and the `Environment=`
 * variables. The bench starts `cellgate run` the same way, so its rows are those of the daemon as
 * installed; the bare-node baseline gets the same flags and variables, so they are not a thumb on
 * the scale.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";

export interface UnitRun {
  /** node's own options, before the script. */
  flags: string[];
  env: Record<string, string>;
}

export function unitRun(text: string): UnitRun {
  const exec = /^ExecStart=(.*)$/m.exec(text)?.[1]?.trim().split(/\s+/) ?? [];
  const script = exec.findIndex((a) => a.endsWith(".js"));
  if (script < 1) throw new Error("the unit's ExecStart= runs no .js script with node");
  const env: Record<string, string> = {};
  for (const [, line] of text.matchAll(/^Environment=(.*)$/gm))
    for (const pair of line!.trim().split(/\s+/)) {
      const eq = pair.indexOf("=");
      if (eq > 0) env[pair.slice(0, eq)] = pair.slice(eq + 1);
    }
  return { flags: exec.slice(1, script), env };
}

export const UNIT = unitRun(readFileSync(join(import.meta.dirname, "../../systemd/cellgate.service"), "utf8"));

/** For the tables: "--optimize-for-size MALLOC_ARENA_MAX=1 …", or "no flags". */
export const UNIT_NOTE = [...UNIT.flags, ...Object.entries(UNIT.env).map(([k, v]) => `${k}=${v}`)].join(" ") || "no flags";
