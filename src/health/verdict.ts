import { attachRule } from "./rules/attach.js";
import { modemRule } from "./rules/modem.js";
import { registrationRule } from "./rules/registration.js";
import { signalRule } from "./rules/signal.js";
import { simRule } from "./rules/sim.js";
import type { Check, HealthInput, HealthReport, Rule, Verdict } from "./types.js";

/** The modem part of the health report; the carrier and MQTT rules join here later. */
export const MODEM_RULES: readonly Rule[] = [modemRule, simRule, registrationRule, signalRule, attachRule];

// A failure here means no connectivity at all.
const ESSENTIAL = new Set(["modem", "sim", "registration", "attach"]);

export function verdictOf(checks: readonly Check[]): Verdict {
  if (checks.some((c) => c.status === "fail" && ESSENTIAL.has(c.id))) return "down";
  if (checks.some((c) => c.status === "fail" || c.status === "warn")) return "degraded";
  if (checks.some((c) => c.status === "unknown" && ESSENTIAL.has(c.id))) return "unknown";
  return "ok";
}

export function assess(input: HealthInput, rules: readonly Rule[] = MODEM_RULES): HealthReport {
  const checks = rules.map((r) => r(input));
  return { verdict: verdictOf(checks), checks, at: new Date(input.now).toISOString() };
}

/** Exit codes of `cellgate status` (DESIGN §3.1). */
export const VERDICT_EXIT: Record<Verdict, number> = { ok: 0, degraded: 1, down: 2, unknown: 3 };
