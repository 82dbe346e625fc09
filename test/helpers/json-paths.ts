// The paths a Home Assistant template reads from a payload, and whether a payload has them.

/** Every `value_json.a.b` path of a template. */
export function templatePaths(template: string): string[][] {
  return [...template.matchAll(/value_json((?:\.[A-Za-z_]\w*)+)/g)].map((m) => m[1]!.slice(1).split("."));
}

export function hasPath(json: unknown, path: string[]): boolean {
  let cur = json;
  for (const key of path) {
    if (typeof cur !== "object" || cur === null || !(key in cur)) return false;
    cur = (cur as Record<string, unknown>)[key];
  }
  return true;
}
