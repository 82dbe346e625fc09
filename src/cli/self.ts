import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** A word for a POSIX shell: as it is when it is safe, else single-quoted. */
export function shellWord(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * How to run this same CLI from any shell, as it is printed for a person to paste: `node` and
 * the absolute path of this entry point (`npx cellgate` only works inside the package, and
 * elsewhere npx would go looking for a package of that name). Run from the TypeScript source
 * (development, tests), tsx's loader is named by its absolute path too.
 */
export function selfCommand(): string {
  const entry = realpathSync(process.argv[1]!);
  const loader = entry.endsWith(".ts") ? ["--import", import.meta.resolve("tsx")] : [];
  return ["node", ...loader, entry].map(shellWord).join(" ");
}

/** MQTT.js's own command-line client (a dependency, so there whenever cellgate is): `sub` for subscribing. */
export function mqttCliCommand(): string {
  return ["node", fileURLToPath(import.meta.resolve("mqtt/bin/mqtt"))].map(shellWord).join(" ");
}

/** Lines for a person to paste into another shell, under a heading that says they run as they are. */
export function pasteBlock(lines: ReadonlyArray<readonly [command: string, comment: string]>): string {
  return ["from another shell (each line runs as it is):", ...lines.map(([c, why]) => `  ${c}   # ${why}`)].join("\n");
}
