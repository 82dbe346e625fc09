import type { CarrierView } from "../api/index.js";
import type { LinkStatus } from "../link/index.js";
import type { FieldError, ModemSnapshot } from "../modem/index.js";

export type CheckStatus = "pass" | "warn" | "fail" | "unknown";
export type Verdict = "ok" | "degraded" | "down" | "unknown";

export interface Check {
  id: string;
  status: CheckStatus;
  /** What was seen, in one line. */
  detail: string;
  /** What to do about it, when there is something to do. */
  hint?: string;
}

export interface HealthReport {
  verdict: Verdict;
  checks: Check[];
  /** ISO time of the assessment. */
  at: string;
}

/** The modem's side of the picture: a snapshot, or why there is none (port missing, not answering). */
export type ModemView = { snapshot: ModemSnapshot } | { error: FieldError; port?: string };

/** The carrier's side: a view and its age, why there is none, or no API configured. */
export type CarrierInput = { view: CarrierView; ageMs: number } | { error: string } | "disabled";

/** The local broker link and the outbox behind it. */
export interface MqttInput {
  connected: boolean;
  /** How long it has been in that state. */
  forMs: number;
  outbox: { depth: number; oldestAgeS: number | null; dropped: { count: number; bytes: number; age: number } };
}

export type ClockQuality = "synced" | "network" | "unsynced";

/** The state directory: the last durable write's failure (null: the last one succeeded) and the free space. */
export interface StateInput {
  dir: string;
  freeBytes: number | null;
  failure: { path: string; error: string } | null;
}

/** The gateway's clock: the kernel's synchronisation state (or that it cannot be told), and where payload times come from. */
export interface ClockInput {
  sync: "synced" | "unsynced" | "unknown";
  /** How the state was read, or why it could not be. */
  via: string;
  quality: ClockQuality;
}

export interface HealthInput {
  modem: ModemView;
  now: number;
  /** Which product the SIM is (the expected APN and Command number follow from it). */
  product?: "programmable-wireless" | "super-sim";
  /** The APN the PDP context must use (default by product). */
  apn?: string;
  /** Absent: the carrier checks are not made (the modem-only report of `status --port`). */
  carrier?: CarrierInput;
  mqtt?: MqttInput;
  clock?: ClockInput;
  state?: StateInput;
  /** The data-path watchdog (absent: no data-path check, as in `status --port`). */
  link?: LinkStatus;
}

/** A rule gives a check, or null when it does not apply to this input (no carrier, no MQTT). */
export type Rule = (input: HealthInput) => Check | null;
