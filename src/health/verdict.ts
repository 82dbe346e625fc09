import { apnRule } from "./rules/apn.js";
import { attachRule } from "./rules/attach.js";
import { carrierPlanRule, carrierSimRule, dataSessionRule, usageRule } from "./rules/carrier.js";
import { dataPathRule } from "./rules/data-path.js";
import { clockRule, mqttRule } from "./rules/local.js";
import { modemRule } from "./rules/modem.js";
import { registrationRule } from "./rules/registration.js";
import { signalRule } from "./rules/signal.js";
import { simRule } from "./rules/sim.js";
import { stateRule } from "./rules/state.js";
import type { Check, HealthInput, HealthReport, Rule, Verdict } from "./types.js";

/** The modem part of the health report. */
export const MODEM_RULES: readonly Rule[] = [modemRule, simRule, registrationRule, signalRule, attachRule];

/** Modem ⊕ carrier ⊕ local: every rule; a rule whose input is absent gives no check. */
export const ALL_RULES: readonly Rule[] = [
  ...MODEM_RULES,
  apnRule,
  carrierSimRule,
  carrierPlanRule,
  usageRule,
  dataSessionRule,
  dataPathRule,
  mqttRule,
  clockRule,
  stateRule,
];

// A failure here means no connectivity at all (a SIM the account has stopped included).
const ESSENTIAL = new Set(["modem", "sim", "registration", "attach", "carrier-sim"]);

// Most important first: what stops connectivity, then what degrades it, then local matters.
const ORDER = [
  "modem",
  "sim",
  "carrier-sim",
  "registration",
  "attach",
  "data-path",
  "carrier-plan",
  "apn",
  "usage",
  "signal",
  "data-session",
  "mqtt",
  "state",
  "clock",
];

export function verdictOf(checks: readonly Check[]): Verdict {
  if (checks.some((c) => c.status === "fail" && ESSENTIAL.has(c.id))) return "down";
  if (checks.some((c) => c.status === "fail" || c.status === "warn")) return "degraded";
  // The carrier's view is a second opinion: without it the modem's view decides.
  if (checks.some((c) => c.status === "unknown" && ESSENTIAL.has(c.id) && c.id !== "carrier-sim")) return "unknown";
  return "ok";
}

export function assess(input: HealthInput, rules: readonly Rule[] = ALL_RULES): HealthReport {
  const checks = joinHints(
    rules.map((r) => r(input)).filter((c): c is Check => c !== null),
    input,
  );
  return { verdict: verdictOf(checks), checks, at: new Date(input.now).toISOString() };
}

/** The failing checks, most important first (what `health` over SMS lists). */
export function failing(report: HealthReport): Check[] {
  const rank = (c: Check) => (c.status === "fail" ? 0 : c.status === "warn" ? 1 : 2) * 100 + (ORDER.indexOf(c.id) + 1 || 99);
  return report.checks.filter((c) => c.status === "fail" || c.status === "warn").sort((a, b) => rank(a) - rank(b));
}

/**
 * Hints that need both views: a modem that cannot register or attach, explained by what the
 * account says (a stopped SIM, a plan without data).
 */
function joinHints(checks: Check[], input: HealthInput): Check[] {
  const by = new Map(checks.map((c) => [c.id, c]));
  const sim = by.get("carrier-sim");
  const plan = by.get("carrier-plan");
  const carrier =
    input.carrier !== undefined && input.carrier !== "disabled" && "view" in input.carrier ? input.carrier.view : undefined;
  const reg = by.get("registration");
  if (reg?.status === "fail" && sim?.status === "fail" && carrier)
    reg.hint = `the account says the SIM is ${carrier.sim.status}: ${sim.hint ?? ""}`.trim();
  const attach = by.get("attach");
  if (attach?.status === "fail" && plan?.status === "fail" && plan.hint) attach.hint = `${plan.detail}: ${plan.hint}`;
  return checks;
}

/** Exit codes of `cellgate status` (docs/cli.md). */
export const VERDICT_EXIT: Record<Verdict, number> = { ok: 0, degraded: 1, down: 2, unknown: 3 };
