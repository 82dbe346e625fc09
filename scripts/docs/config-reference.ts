import { z } from "zod";
import { CONFIG_DESCRIPTIONS, configSchema } from "../../src/config/index.js";
import { code, table } from "./markdown.js";

/** The JSON Schema zod derives from the configuration schema: types, bounds, enums and defaults, as the loader checks them. */
interface Node {
  type?: string;
  enum?: unknown[];
  const?: unknown;
  anyOf?: Node[];
  items?: Node;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxLength?: number;
  properties?: Record<string, Node>;
  default?: unknown;
}

const root = (): Node => z.toJSONSchema(configSchema, { io: "input", unrepresentable: "any" }) as Node;

/** Every section and key path of the schema, in the schema's order (sections before their keys). */
export function configPaths(): Array<{ path: string; node: Node; section: boolean }> {
  const out: Array<{ path: string; node: Node; section: boolean }> = [];
  const walk = (n: Node, prefix: string) => {
    for (const [k, v] of Object.entries(n.properties ?? {})) {
      const path = prefix ? `${prefix}.${k}` : k;
      const section = v.properties !== undefined;
      out.push({ path, node: v, section });
      if (section) walk(v, path);
    }
  };
  walk(root(), "");
  return out;
}

function typeOf(n: Node): string {
  if (n.anyOf?.every((o) => o.const !== undefined)) return n.anyOf.map((o) => String(o.const)).join(" | ");
  if (n.anyOf) return n.anyOf.map(typeOf).join(", or ");
  if (n.enum) return n.enum.map((v) => code(String(v))).join(" | ");
  if (n.type === "integer") return `integer ${n.minimum ?? ""}–${n.maximum ?? ""}`;
  if (n.type === "array") {
    const items = n.items?.type === "string" && n.items.enum === undefined ? "strings" : n.items ? typeOf(n.items) : "values";
    return `list of ${items}${n.minItems ? " (at least one)" : ""}`;
  }
  if (n.type === "string" && n.maxLength !== undefined) return `string (at most ${n.maxLength} characters)`;
  return n.type ?? "value";
}

const UNITS: Array<[number, string]> = [
  [86_400, "d"],
  [3600, "h"],
  [60, "min"],
];

/** A default as it is written in cellgate.yaml; seconds also in a larger unit. */
function defaultOf(path: string, n: Node): string {
  const v = n.default;
  // A number-or-object key (commands.maxAgeS): the object's keys carry the defaults.
  const keys = n.anyOf?.find((o) => o.properties)?.properties;
  if (v === undefined && keys)
    return Object.entries(keys)
      .map(([k, o]) => `${k}: ${defaultOf(path, o)}`)
      .join(", ");
  if (v === undefined) return "—";
  const scalar = (x: unknown) =>
    typeof x === "string" || typeof x === "number" || typeof x === "boolean" ? String(x) : JSON.stringify(x);
  const text = Array.isArray(v) ? `[${v.map(scalar).join(", ")}]` : scalar(v);
  if (typeof v !== "number" || !path.endsWith("S")) return code(text);
  const unit = UNITS.find(([s]) => v >= s && v % s === 0);
  return unit ? `${code(text)} (${v / unit[0]} ${unit[1]})` : code(text);
}

function describe(path: string): string {
  const d = CONFIG_DESCRIPTIONS[path];
  if (d === undefined) throw new Error(`src/config/descriptions.ts has no text for ${path}`);
  return d;
}

/** The reference: one table per section, every key with its type, default and meaning. */
export function configReference(): string {
  const paths = configPaths();
  const sections = paths.filter((p) => p.section && !p.path.includes("."));
  return sections
    .map((s) => {
      const rows = paths
        .filter((p) => p.path.startsWith(`${s.path}.`))
        .map((p) =>
          p.section
            ? [code(`${p.path}.*`), "", "", describe(p.path)]
            : [code(p.path), typeOf(p.node), defaultOf(p.path, p.node), describe(p.path)],
        );
      return [`### ${s.path}`, "", describe(s.path), "", table(["key", "type", "default", "meaning"], rows)].join("\n");
    })
    .join("\n\n");
}
