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

export interface HealthInput {
  modem: ModemView;
  now: number;
}

export type Rule = (input: HealthInput) => Check;
