import { readFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";
import { TOPIC_DOCS, TOPIC_RULES, type TopicName } from "../../src/mqtt/index.js";
import { code, table } from "./markdown.js";

/** Topics cellgate subscribes to rather than publishes (not in TOPIC_RULES): the QoS it subscribes with, the payload type. */
const SUBSCRIBED: Record<string, { qos: number; payload: string }> = {
  "commands/send": { qos: 1, payload: "CommandSendRequest" },
};

const TOPICS_FILE = "src/mqtt/topics.ts";

/** The declarations of topics.ts by name, read with the TypeScript parser (payload types exist only at compile time). */
function declarations(root: string): {
  source: ts.SourceFile;
  byName: Map<string, ts.InterfaceDeclaration | ts.TypeAliasDeclaration>;
} {
  const source = ts.createSourceFile(TOPICS_FILE, readFileSync(join(root, TOPICS_FILE), "utf8"), ts.ScriptTarget.Latest, true);
  const byName = new Map<string, ts.InterfaceDeclaration | ts.TypeAliasDeclaration>();
  for (const s of source.statements) if (ts.isInterfaceDeclaration(s) || ts.isTypeAliasDeclaration(s)) byName.set(s.name.text, s);
  return { source, byName };
}

/** Topic name → payload type name, from `interface Topics`. */
function payloadTypes(root: string): Map<string, string> {
  const { byName } = declarations(root);
  const topics = byName.get("Topics");
  if (topics === undefined || !ts.isInterfaceDeclaration(topics)) throw new Error(`${TOPICS_FILE}: no interface Topics`);
  const out = new Map<string, string>();
  for (const m of topics.members) {
    if (!ts.isPropertySignature(m) || m.type === undefined || !(ts.isIdentifier(m.name) || ts.isStringLiteral(m.name))) continue;
    out.set(m.name.text, m.type.getText());
  }
  return out;
}

function rowsOrder(): Array<TopicName | "commands/send"> {
  return Object.keys(TOPIC_DOCS) as Array<TopicName | "commands/send">;
}

function payloadOf(topic: string, types: Map<string, string>): string {
  const t = SUBSCRIBED[topic]?.payload ?? types.get(topic);
  if (t === undefined) throw new Error(`${TOPICS_FILE}: interface Topics has no ${topic}`);
  return t;
}

/** The topic table: every topic of the map with its retain flag, QoS, payload type and what it carries. */
export function topicTable(root: string): string {
  const types = payloadTypes(root);
  const rows = rowsOrder().map((topic) => {
    const rule = (TOPIC_RULES as Partial<Record<string, { retain: boolean; qos: number }>>)[topic];
    const sub = SUBSCRIBED[topic];
    if (rule === undefined && sub === undefined) throw new Error(`${topic} is neither in TOPIC_RULES nor subscribed`);
    return [
      code(topic),
      rule ? (rule.retain ? "yes" : "no") : "subscribed",
      String(rule?.qos ?? sub!.qos),
      code(payloadOf(topic, types)),
      TOPIC_DOCS[topic],
    ];
  });
  return table(["topic", "retained", "QoS", "payload", "what"], rows);
}

/** The payload types as topics.ts declares them, with their comments, in the order of the table (the stamp first). */
export function payloadDeclarations(root: string): string {
  const { source, byName } = declarations(root);
  const types = payloadTypes(root);
  const names = ["ClockQuality", "Stamp", ...rowsOrder().map((t) => payloadOf(t, types))];
  const text = [...new Set(names)].map((n) => {
    const d = byName.get(n);
    if (d === undefined) throw new Error(`${TOPICS_FILE}: no declaration of ${n}`);
    // From the JSDoc above the declaration (getStart with it included) to its end.
    return source.text.slice(d.getStart(source, true), d.end);
  });
  return ["```ts", text.join("\n\n"), "```"].join("\n");
}
