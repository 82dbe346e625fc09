import { readFileSync } from "node:fs";
import { Ajv, type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";

/**
 * Response-schema conformance against Twilio's published OpenAPI specs (twilio_wireless_v1.json,
 * twilio_supersim_v1.json, copied verbatim to test/fixtures/api). Ajv does the validating; this file only
 * finds each operation's 2xx schema and, with `exact`, tightens every resource object so that
 * its field set must equal the spec's (the specs list no `required`, so without this a body
 * missing half its fields would pass).
 */
export interface Conformance {
  /** Errors for a body answered by `operationId`, or [] when it conforms. */
  check(operationId: string, body: unknown): string[];
  operations(): string[];
}

type Json = Record<string, unknown>;

const SPECS = {
  wireless: new URL("../fixtures/api/twilio_wireless_v1.json", import.meta.url),
  supersim: new URL("../fixtures/api/twilio_supersim_v1.json", import.meta.url),
  /** The Alerts list of twilio_monitor_v1.json (an excerpt: test/fixtures/api/README.md). */
  monitor: new URL("../fixtures/api/twilio_monitor_v1.alerts.json", import.meta.url),
};

export function loadConformance(spec: keyof typeof SPECS, o: { exact?: boolean } = {}): Conformance {
  const doc = JSON.parse(readFileSync(SPECS[spec], "utf8")) as Json;
  if (o.exact) {
    tighten(doc.components);
    tighten(doc.paths);
  }
  const ajv = new Ajv({ allErrors: true, strict: true });
  addFormats.default(ajv);
  // Twilio's own string formats.
  ajv.addFormat("http-method", /^(GET|POST|PUT|DELETE|PATCH|HEAD)$/);
  ajv.addFormat("currency", /^[A-Za-z]{3}$/);
  ajv.addFormat("iso-country-code", /^[A-Z]{2}$/);
  ajv.addFormat("int64", { type: "number", validate: Number.isInteger });
  // Annotations the specs carry that are not JSON Schema.
  ajv.addKeyword("x-twilio");
  ajv.addKeyword("example");
  const schemas = (doc.components as { schemas: Record<string, Json> }).schemas;
  for (const [name, schema] of Object.entries(schemas)) ajv.addSchema({ ...(rebase(schema) as Json), $id: `spec:${name}` });

  const byOp = new Map<string, ValidateFunction>();
  for (const item of Object.values(doc.paths as Record<string, Json>)) {
    for (const op of Object.values(item)) {
      if (typeof op !== "object" || op === null || !("operationId" in op)) continue;
      const { operationId, responses } = op as { operationId: string; responses: Record<string, Json> };
      const ok = Object.entries(responses).find(([code]) => code.startsWith("2"));
      const schema = (ok?.[1].content as Json | undefined)?.["application/json"] as Json | undefined;
      if (schema?.schema === undefined) continue;
      byOp.set(operationId, ajv.compile(rebase(schema.schema) as Json));
    }
  }
  return {
    operations: () => [...byOp.keys()],
    check(operationId, body) {
      const v = byOp.get(operationId);
      if (v === undefined) return [`no 2xx JSON schema for operation ${operationId}`];
      return v(body)
        ? []
        : (v.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message ?? ""} ${JSON.stringify(e.params)}`);
    },
  };
}

/**
 * OpenAPI 3.0 → what Ajv compiles: "#/components/schemas/NAME" becomes "spec:NAME" (each
 * component is its own Ajv schema); `{nullable: true}` without a type (the specs' "any value")
 * loses the keyword Ajv refuses there; "uri-map", Twilio's annotation on the `links` object,
 * is dropped (JSON Schema formats apply to strings); a field that is a `$ref` to an enum
 * also admits null: OpenAPI 3.0 cannot mark a `$ref` nullable, and the specs' prose says these
 * fields are null when unset (reset_status: "Can be: null or `resetting`"); so does an inline enum
 * marked nullable.
 */
function rebase(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(rebase);
  if (typeof node !== "object" || node === null) return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === "nullable" && !("type" in node)) continue;
    if (k === "format" && v === "uri-map") continue;
    out[k] = k === "$ref" && typeof v === "string" ? v.replace(/^#\/components\/schemas\//, "spec:") : rebase(v);
  }
  if (typeof out.$ref === "string" && out.$ref.includes("_enum_")) return { anyOf: [out, { type: "null" }] };
  // The same for an inline enum marked nullable (monitor.v1.alert's request_method: no request made an attach alert).
  if (out.nullable === true && Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...(out.enum as unknown[]), null];
  return out;
}

function tighten(node: unknown): void {
  if (Array.isArray(node)) return node.forEach(tighten);
  if (typeof node !== "object" || node === null) return;
  const n = node as Json;
  if (n.type === "object" && typeof n.properties === "object" && n.properties !== null) {
    n.required = Object.keys(n.properties);
    n.additionalProperties = false;
  }
  Object.values(n).forEach(tighten);
}
