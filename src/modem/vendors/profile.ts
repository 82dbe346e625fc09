import type { AtResponse, UrcSpec } from "../../at/index.js";
import { decField, hexField, type Field } from "../parsers/fields.js";
import type { NetworkTime, ServingCell, SignalQuality, VendorName } from "../types.js";

/**
 * What differs between modem vendors, kept at the edge (ModemManager's plugins): the
 * vendor-only commands and their parsers, URCs, the reset command. The generic profile
 * works with any 27.007 modem; the others add to it.
 */
export interface VendorProfile {
  readonly name: VendorName;
  /** Chosen from +CGMI / +CGMM. */
  matches(id: { manufacturer: string; model: string }): boolean;
  /** URCs this vendor sends on the AT port besides the standard ones. */
  readonly urcs: readonly UrcSpec[];
  /** Commands that read the ICCID, tried in order. */
  readonly iccidCommands: readonly string[];
  /** Commands run once after identification; failures are logged, not fatal. */
  readonly initCommands: readonly string[];
  /** +CMGS takes the PDU right after the command line, with no `>` prompt (nRF91). */
  readonly smsNoPrompt?: boolean;
  /** A full functionality reset (the recovery ladder's reset step). */
  readonly resetCommand: string;
  /** How the module carries data when it is the gateway's interface (the data-path ladder's steps use it). */
  readonly bearer: BearerProfile;
  /** The vendor's serving-cell report, normalised; null when not camped or the modem has none. */
  servingCell?(port: ReportPort): Promise<ServingCell | null>;
  /** The signal values in one of the vendor's signal URCs (undefined: not one). */
  signalUrc?(line: string): Partial<SignalQuality> | undefined;
  /** Time from the network (NITZ) when the vendor has a command for it; undefined when it lacks it. */
  networkTime?(port: ReportPort): Promise<NetworkTime | null | undefined>;
}

/** The module's own data bearer, from its manual (docs/modems/). */
export interface BearerProfile {
  /** The context of the default bearer: 1 on most, 0 on Nordic (the initial PDN). */
  readonly cid: number;
  /** +CGACT may (re-)activate that context; false where the manual forbids it (Nordic cid 0, SIMCom's LTE default bearer). */
  readonly cgact: boolean;
  /** Commands that start the module's own network interface, tried in order until one is accepted; `{cid}` is replaced. */
  readonly up: readonly string[];
  /** The airplane cycle: +CFUN=<this> then +CFUN=1 (4 flight mode; 0 where 4 is missing). */
  readonly airplane: 0 | 4;
}

/**
 * How a vendor report asks the modem: undefined when the modem lacks the command (refused as
 * unsupported, learned once per modem boot), so a report degrades to what the modem has.
 */
export interface ReportPort {
  command(cmd: string): Promise<AtResponse | undefined>;
}

/** Plausible measurement ranges: values outside are reported as unknown (null), not trusted. */
export const RANGE = {
  rsrpDbm: [-156, -44],
  rsrqDb: [-35, 0],
  rssiDbm: [-125, 0],
  sinrDb: [-23, 40],
  rscpDbm: [-125, -20],
} as const;

export function inRange(v: number | undefined, [lo, hi]: readonly [number, number]): number | null {
  return v === undefined || Number.isNaN(v) || v < lo || v > hi ? null : v;
}

/** A decimal field, or undefined when empty or not a number. */
export function num(f: Field | undefined): number | undefined {
  const v = decField(f);
  return v === undefined || Number.isNaN(v) ? undefined : v;
}

/** A hexadecimal field (LAC, TAC, cell id), or undefined when empty or not hex. */
export function hex(f: Field | undefined): number | undefined {
  const v = hexField(f);
  return v === undefined || Number.isNaN(v) ? undefined : v;
}

/** Drops the keys whose value is undefined (optional fields stay absent, not `undefined`). */
export function defined<T extends object>(o: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as { [K in keyof T]: Exclude<T[K], undefined> };
}
