import { closeSync, openSync, readSync } from "node:fs";
import { CellgateError, isErrno } from "../../core/index.js";
import { CONFIG_LIMITS, yamlToData } from "../yaml-text.js";

/**
 * The configuration file as text and YAML, without the schema (zod): what the daemon then
 * validates whole, and where the CLI reads the one key it needs to find a running daemon.
 */
export const DEFAULT_CONFIG_FILE = "/etc/cellgate/cellgate.yaml";

/**
 * The file (explicit: --config, else CELLGATE_CONFIG; else the default one) and its text, null
 * when there is no default file. An explicit file that cannot be read is CG_ERR_CONFIG_READ.
 */
export function readConfigFile(o: { file?: string; env: NodeJS.ProcessEnv }): { file: string; text: string | null } {
  const explicit = o.file ?? (o.env.CELLGATE_CONFIG || undefined);
  const file = explicit ?? DEFAULT_CONFIG_FILE;
  try {
    return { file, text: readBounded(file, CONFIG_LIMITS.maxBytes) };
  } catch (err) {
    if (explicit === undefined && isErrno(err, "ENOENT")) return { file, text: null }; // no file: defaults + environment
    throw new CellgateError("CG_ERR_CONFIG_READ", `cannot read the configuration ${file}: ${(err as Error).message}`, { file });
  }
}

/**
 * control.socket as the configuration file sets it, the rest not validated (the daemon listening
 * there validated the file it started with): null when the file sets none, undefined when it
 * cannot be read or parsed, or the key is not text (then the caller checks the whole file).
 */
export function controlSocketSetting(env: NodeJS.ProcessEnv): string | null | undefined {
  let text: string | null;
  try {
    text = readConfigFile({ env }).text;
  } catch {
    return undefined;
  }
  if (text === null) return null;
  const read = yamlToData(text);
  if ("problems" in read) return undefined;
  const data = read.data;
  if (data === null) return null; // an empty file: the defaults
  if (typeof data !== "object" || Array.isArray(data)) return undefined;
  const control = (data as { control?: unknown }).control;
  if (control === null || control === undefined) return null;
  if (typeof control !== "object" || Array.isArray(control)) return undefined;
  const socket = (control as { socket?: unknown }).socket;
  if (socket === undefined || socket === null) return null;
  return typeof socket === "string" && socket !== "" ? socket : undefined;
}

/** At most `max` + 1 bytes of the file (a device or a huge file is not read whole; one byte over says it is too big). */
function readBounded(file: string, max: number): string {
  const fd = openSync(file, "r");
  try {
    const buf = Buffer.alloc(max + 1);
    let n = 0;
    for (let r; n < buf.length && (r = readSync(fd, buf, n, buf.length - n, null)) > 0;) n += r;
    return buf.subarray(0, n).toString("utf8");
  } finally {
    closeSync(fd);
  }
}
