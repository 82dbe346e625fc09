import { CellgateError } from "../../../core/index.js";
import type { Personality } from "../personality.js";
import { legacyQuectel, legacySimcom } from "./legacy.js";

/** Every simulated module, by id. */
export const PERSONALITIES: Readonly<Record<string, Personality>> = Object.fromEntries(
  [legacyQuectel, legacySimcom].map((p) => [p.id, p]),
);

/** Short names the CLI has always taken. */
const ALIASES: Readonly<Record<string, string>> = { quectel: "legacy-quectel", simcom: "legacy-simcom" };

export function personality(name: string): Personality {
  const p = PERSONALITIES[ALIASES[name] ?? name];
  if (p === undefined) {
    const known = [...Object.keys(ALIASES), ...Object.keys(PERSONALITIES)].join(", ");
    throw new CellgateError("CG_ERR_CLI_USAGE", `no simulated modem ${JSON.stringify(name)}; known: ${known}`, { name });
  }
  return p;
}

export function personalityNames(): string[] {
  return [...Object.keys(ALIASES), ...Object.keys(PERSONALITIES)];
}
