import { LIVE_KEYS, type Config } from "./schema.js";

/** Keys a reload changes: the live ones apply at once, the others are listed as needing a restart. */
export function changedKeys(a: Config, b: Config): string[] {
  const out: string[] = [];
  const walk = (x: unknown, y: unknown, path: string) => {
    if (typeof x === "object" && x !== null && typeof y === "object" && y !== null && !Array.isArray(x)) {
      for (const k of new Set([...Object.keys(x), ...Object.keys(y)]))
        walk((x as Record<string, unknown>)[k], (y as Record<string, unknown>)[k], path ? `${path}.${k}` : k);
    } else if (JSON.stringify(x) !== JSON.stringify(y)) out.push(LIVE_KEYS.has(path) ? path : `${path} (needs a restart)`);
  };
  walk(a, b, "");
  return out;
}
