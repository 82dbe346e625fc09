import { hostname } from "node:os";
import type * as z from "zod";
import { CellgateError } from "../core/index.js";
import { readConfigFile } from "./file/index.js";
import { configSchema, type Config } from "./schema.js";
import { yamlToData, type Problem } from "./yaml-text.js";

export interface LoadOptions {
  /** --config; else CELLGATE_CONFIG; else /etc/cellgate/cellgate.yaml if it exists. */
  file?: string;
  env?: NodeJS.ProcessEnv;
}

export interface Loaded {
  config: Config;
  /** The file read, or null when only defaults and the environment apply. */
  file: string | null;
  /** The gateway id in effect (config, else the host name). */
  gatewayId: string;
  topicPrefix: string;
}

export type { Problem };

/** Reads, overlays the environment, validates; throws CG_ERR_CONFIG_* listing every problem. */
export function loadConfig(o: LoadOptions = {}): Loaded {
  const r = checkConfig(o);
  if ("problems" in r) {
    throw new CellgateError(
      "CG_ERR_CONFIG_INVALID",
      `${r.file ?? "configuration"}: ${r.problems.length} problem(s):\n${r.problems.map((p) => `  ${p.path}: ${p.message}`).join("\n")}`,
      { file: r.file, problems: r.problems },
    );
  }
  return r;
}

/** As loadConfig, but returns the problems instead of throwing (for `cellgate config check`). */
export function checkConfig(o: LoadOptions = {}): Loaded | { file: string | null; problems: Problem[] } {
  const env = o.env ?? process.env;
  const { file, text } = readConfigFile({ env, ...(o.file !== undefined ? { file: o.file } : {}) });
  return checkConfigText(text, text === null ? null : file, env);
}

/** The text of a configuration file (null: none) with the environment over it; the loaded configuration or its problems. Reads no file. */
export function checkConfigText(
  text: string | null,
  file: string | null,
  env: NodeJS.ProcessEnv,
): Loaded | { file: string | null; problems: Problem[] } {
  const problems: Problem[] = [];
  let raw: unknown = {};
  if (text !== null) {
    const read = yamlToData(text);
    if ("problems" in read) problems.push(...read.problems);
    else raw = dropNulls(read.data) ?? {};
    if (problems.length === 0 && (typeof raw !== "object" || Array.isArray(raw)))
      problems.push({ path: "(top)", message: "the file must be a mapping of sections (gateway, modem, sim, mqtt, api, …)" });
  }
  if (problems.length > 0) return { file, problems };
  const merged = overlayEnv(raw as Record<string, unknown>, env, problems);
  const parsed = configSchema.safeParse(merged);
  if (!parsed.success) problems.push(...parsed.error.issues.map(describeIssue));
  if (problems.length > 0 || !parsed.success) return { file, problems };
  const config = parsed.data;
  const gatewayId =
    config.gateway.id ??
    (hostname()
      .replace(/[^A-Za-z0-9._-]/g, "-")
      .slice(0, 64) ||
      "gateway");
  return {
    config,
    file,
    gatewayId,
    topicPrefix: config.mqtt.topicPrefix ?? `cellgate/${gatewayId}`,
  };
}

/** `section:` with nothing under it (or only comments) reads as null in YAML: it means "defaults". */
function dropNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(dropNulls);
  if (typeof v !== "object" || v === null) return v;
  return Object.fromEntries(
    Object.entries(v)
      .filter(([, x]) => x !== null)
      .map(([k, x]) => [k, dropNulls(x)]),
  );
}

function describeIssue(i: z.core.$ZodIssue): Problem {
  const at = i.path.join(".") || "(top)";
  if (i.code === "unrecognized_keys")
    return { path: at, message: `unknown key(s) ${i.keys.map((k) => JSON.stringify(k)).join(", ")}` };
  return { path: at, message: i.message };
}

type Leaf = { path: string[]; kind: "number" | "boolean" | "string" | "list" };

/** Every leaf key of the schema with the environment variable that can set it. */
export function envKeys(): Array<{ key: string; env: string }> {
  return leaves(configSchema, []).map((l) => ({ key: l.path.join("."), env: envName(l.path) }));
}

function envName(path: string[]): string {
  return `CELLGATE_${path
    .map((p) =>
      p
        .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
        .replace(/-/g, "_")
        .toUpperCase(),
    )
    .join("_")}`;
}

// zod's own definition tree, walked to find the leaves (the types are internal, hence the casts).
interface Def {
  type: string;
  innerType?: { _zod: { def: Def } };
  in?: { _zod: { def: Def } };
  shape?: Record<string, { _zod: { def: Def } }>;
  options?: Array<{ _zod: { def: Def } }>;
}

function leaves(schema: { _zod: { def: unknown } }, path: string[]): Leaf[] {
  let def = schema._zod.def as Def;
  while ((def.type === "default" || def.type === "prefault" || def.type === "optional") && def.innerType)
    def = def.innerType._zod.def;
  if (def.type === "object" && def.shape) return Object.entries(def.shape).flatMap(([k, v]) => leaves(v, [...path, k]));
  if (def.type === "number") return [{ path, kind: "number" }];
  if (def.type === "boolean") return [{ path, kind: "boolean" }];
  if (def.type === "array") return [{ path, kind: "list" }];
  if (def.type === "union" && def.options?.every((o) => o._zod.def.type === "literal")) return [{ path, kind: "number" }];
  // A number or a mapping (commands.maxAgeS): the variable sets the number, which stands for the whole.
  if (def.type === "union" && def.options?.some((o) => inner(o._zod.def).type === "number")) return [{ path, kind: "number" }];
  return [{ path, kind: "string" }];
}

/** What a transformed schema reads (a pipe's input). */
function inner(def: Def): Def {
  return def.type === "pipe" && def.in ? inner(def.in._zod.def) : def;
}

/** CELLGATE_<SECTION>_<KEY> overrides the file, typed by the schema (so "300" is a number where one is expected). */
function overlayEnv(raw: Record<string, unknown>, env: NodeJS.ProcessEnv, problems: Problem[]): Record<string, unknown> {
  const out = structuredClone(raw);
  for (const leaf of leaves(configSchema, [])) {
    const name = envName(leaf.path);
    const v = env[name];
    if (v === undefined || v === "") continue;
    let value: unknown = v;
    if (leaf.kind === "number") {
      value = Number(v);
      if (!/^-?\d+(\.\d+)?$/.test(v.trim()))
        problems.push({ path: `${leaf.path.join(".")} (from ${name})`, message: `expected a number, got ${JSON.stringify(v)}` });
    } else if (leaf.kind === "boolean") {
      if (!/^(true|false|1|0|yes|no)$/i.test(v))
        problems.push({
          path: `${leaf.path.join(".")} (from ${name})`,
          message: `expected true or false, got ${JSON.stringify(v)}`,
        });
      value = /^(true|1|yes)$/i.test(v);
    } else if (leaf.kind === "list") {
      // CELLGATE_COMMANDS_DISABLED=reboot,ping — commas between items.
      value = v
        .split(",")
        .map((x) => x.trim())
        .filter((x) => x !== "");
    }
    let node = out;
    for (const seg of leaf.path.slice(0, -1)) {
      const next = node[seg];
      node = (node[seg] = typeof next === "object" && next !== null && !Array.isArray(next) ? next : {}) as Record<
        string,
        unknown
      >;
    }
    node[leaf.path.at(-1)!] = value;
  }
  return out;
}
