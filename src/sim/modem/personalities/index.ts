import { CellgateError } from "../../../core/index.js";
import type { Personality } from "../personality.js";
import { nordicNrf9160 } from "./nordic-nrf9160.js";
import { quectelBg95 } from "./quectel-bg95.js";
import { quectelEc25 } from "./quectel-ec25.js";
import { simcomSim7080 } from "./simcom-sim7080.js";
import { simcomSim7600 } from "./simcom-sim7600.js";
import { telitLe910c1 } from "./telit-le910c1.js";
import { ubloxSaraR410m, ubloxSaraR410m02b00 } from "./ublox-sara-r410m.js";

/** Every simulated module, by id: each written from its vendor's AT manual (docs/modems/). */
export const PERSONALITIES: Readonly<Record<string, Personality>> = Object.fromEntries(
  [quectelEc25, quectelBg95, simcomSim7600, simcomSim7080, ubloxSaraR410m, ubloxSaraR410m02b00, telitLe910c1, nordicNrf9160].map(
    (p) => [p.id, p],
  ),
);

/** Short names the CLI has always taken. */
const ALIASES: Readonly<Record<string, string>> = { quectel: "quectel-ec25", simcom: "simcom-sim7600" };

export function personality(name: string): Personality {
  const p = PERSONALITIES[ALIASES[name] ?? name];
  if (p === undefined) {
    throw new CellgateError(
      "CG_ERR_CLI_USAGE",
      `no simulated modem ${JSON.stringify(name)}; known: ${personalityNames().join(", ")}`,
      {
        name,
      },
    );
  }
  return p;
}

export function personalityNames(): string[] {
  return [...Object.keys(ALIASES), ...Object.keys(PERSONALITIES)];
}
