import { envKeys } from "./load.js";

/** The CELLGATE_* variables that are not a configuration key: where the file is, secrets, CLI and simulator settings. */
const OTHER_VARIABLES = [
  "CELLGATE_CONFIG",
  "CELLGATE_COMMAND_KEY",
  "CELLGATE_FLEET_KEY",
  "CELLGATE_MQTT_PASSWORD",
  "CELLGATE_MODEM_PIN",
  "CELLGATE_SIM_ICCID",
  "CELLGATE_PTY",
] as const;

export interface UnknownVariable {
  name: string;
  /** The known variable it is closest to, when it looks like a misspelling of one. */
  suggestion: string | null;
}

/** Every variable cellgate reads: one per configuration key, and the others. */
export function knownVariables(): string[] {
  return [...envKeys().map((k) => k.env), ...OTHER_VARIABLES];
}

/**
 * The CELLGATE_* variables in `env` that cellgate does not read. A misspelt YAML key is an error;
 * a misspelt variable would otherwise be ignored without a word (CELLGATE_MQTT_ULR=…).
 */
export function unknownVariables(env: NodeJS.ProcessEnv): UnknownVariable[] {
  const known = knownVariables();
  return Object.keys(env)
    .filter((name) => name.startsWith("CELLGATE_") && !known.includes(name))
    .sort()
    .map((name) => ({ name, suggestion: nearest(name, known) }));
}

/** "did you mean …": the closest known name, within a few edits (a transposition counts as one). */
function nearest(name: string, known: readonly string[]): string | null {
  const suffix = name.slice("CELLGATE_".length);
  let best: { name: string; d: number } | null = null;
  for (const k of known) {
    const d = editDistance(suffix, k.slice("CELLGATE_".length));
    if (best === null || d < best.d) best = { name: k, d };
  }
  return best !== null && best.d <= Math.max(1, Math.min(3, Math.floor(suffix.length / 4))) ? best.name : null;
}

/** Optimal string alignment distance: insertions, deletions, substitutions and adjacent transpositions. */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  return d[a.length]![b.length]!;
}

/** What to tell a person about it (after its name): that it is ignored, and the likely intended name. */
export function describeUnknown(u: UnknownVariable): string {
  return `not a cellgate variable, ignored${u.suggestion ? ` (did you mean ${u.suggestion}?)` : ""}`;
}
