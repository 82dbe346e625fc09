import { isMap, isScalar, LineCounter, parseDocument, visit } from "yaml";

/** One problem with the configuration, with the path of the key it concerns. */
export interface Problem {
  path: string;
  message: string;
}

/** A configuration is a few kilobytes; these bound what a hostile or broken file can cost. */
export const CONFIG_LIMITS = { maxBytes: 64 * 1024, maxDepth: 16, maxAliases: 50 } as const;

/**
 * The YAML text as plain data, or the problems with it, without ever throwing: size, nesting
 * (flow brackets are counted before parsing, since the parser's own recursion is what a deep
 * document exhausts), aliases (an alias bomb, an anchor that contains its own alias) and
 * duplicate keys (checked here in one pass: the parser's own check is quadratic).
 */
export function yamlToData(text: string): { data: unknown } | { problems: Problem[] } {
  const { maxBytes, maxDepth, maxAliases } = CONFIG_LIMITS;
  if (Buffer.byteLength(text) > maxBytes)
    return { problems: [{ path: "(file)", message: `larger than ${maxBytes / 1024} KiB: not a configuration file` }] };
  const flow = flowDepth(text);
  if (flow > maxDepth) return { problems: [{ path: "(file)", message: `nested deeper than ${maxDepth} levels` }] };
  const lines = new LineCounter();
  try {
    const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: false, lineCounter: lines });
    const problems: Problem[] = doc.errors.map((e) => yamlProblem(e, text));
    if (problems.length > 0) return { problems };
    problems.push(...duplicateKeys(doc, lines, text));
    if (problems.length > 0) return { problems };
    const data: unknown = doc.toJS({ maxAliasCount: maxAliases });
    const shape = shapeProblem(data, 0, new Set());
    return shape ? { problems: [{ path: "(file)", message: shape }] } : { data };
  } catch (err) {
    const message = (err as Error).message;
    return {
      problems: [
        {
          path: "(file)",
          message: /alias/i.test(message) ? `too many aliases (at most ${maxAliases})` : `cannot be read as YAML: ${message}`,
        },
      ],
    };
  }
}

/**
 * A YAML syntax error as one problem: the position is the path, the message its first line without
 * yaml's own " at line L, column C:" (which introduces a source excerpt that is not kept), then the
 * line in question, so the message does not end on a dangling ":".
 */
function yamlProblem(e: { message: string; linePos?: [{ line: number; col: number }, ...unknown[]] }, text: string): Problem {
  const pos = e.linePos?.[0];
  const first = (e.message.split("\n")[0] ?? e.message).replace(/ at line \d+, column \d+:?$/, "").replace(/:$/, "");
  const source = pos ? text.split(/\r?\n/)[pos.line - 1]?.trim() : undefined;
  return {
    path: pos ? `line ${pos.line}, column ${pos.col}` : "(yaml)",
    message: source ? `${first}: ${JSON.stringify(source)}` : first,
  };
}

/** The deepest nesting of flow brackets, outside quotes and comments (a conservative count). */
function flowDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let quote: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote !== null) {
      if (c === "\\" && quote === '"') i++;
      else if (c === quote || c === "\n") quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === "#" && (i === 0 || /\s/.test(text[i - 1]!))) {
      const nl = text.indexOf("\n", i);
      i = nl < 0 ? text.length : nl;
    } else if (c === "[" || c === "{") max = Math.max(max, ++depth);
    else if ((c === "]" || c === "}") && depth > 0) depth--;
  }
  return max;
}

/** Every key a map repeats, at its line and column, quoting the line (as a syntax error is). */
function duplicateKeys(doc: ReturnType<typeof parseDocument>, lines: LineCounter, text: string): Problem[] {
  const out: Problem[] = [];
  visit(doc, {
    Map(_key, map) {
      if (!isMap(map)) return;
      const seen = new Set<string>();
      for (const pair of map.items) {
        const k = isScalar(pair.key) ? String(pair.key.value) : JSON.stringify(pair.key);
        if (seen.has(k)) {
          const pos = lines.linePos(isScalar(pair.key) ? (pair.key.range?.[0] ?? 0) : 0);
          const source = text.split(/\r?\n/)[pos.line - 1]?.trim() ?? "";
          out.push({
            path: `line ${pos.line}, column ${pos.col}`,
            message: `duplicate key ${JSON.stringify(k)}: ${JSON.stringify(source)}`,
          });
        }
        seen.add(k);
      }
    },
  });
  return out;
}

/** Too deep, or an alias inside the node it names (a cycle once read), as a message; else undefined. */
function shapeProblem(v: unknown, depth: number, ancestors: Set<object>): string | undefined {
  if (typeof v !== "object" || v === null) return undefined;
  if (ancestors.has(v)) return "an alias refers to itself (its anchor contains it)";
  if (depth >= CONFIG_LIMITS.maxDepth) return `nested deeper than ${CONFIG_LIMITS.maxDepth} levels`;
  ancestors.add(v);
  try {
    for (const child of v instanceof Map ? v.values() : Object.values(v)) {
      const p = shapeProblem(child, depth + 1, ancestors);
      if (p) return p;
    }
  } finally {
    ancestors.delete(v);
  }
  return undefined;
}
