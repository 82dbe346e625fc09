import type { Rat, Registration } from "../../modem/index.js";
import type { Check, Rule } from "../types.js";

const hex = (n: number | undefined) => (n === undefined ? undefined : n.toString(16).toUpperCase());

const RAT_NAMES: Readonly<Record<Rat, string>> = {
  gsm: "GSM",
  umts: "UMTS",
  lte: "LTE",
  "lte-m": "LTE-M",
  "nb-iot": "NB-IoT",
  nr: "NR",
};

function where(r: Registration, operator: string, rat: Rat | undefined): string {
  const parts = [
    operator,
    rat !== undefined ? RAT_NAMES[rat] : r.act?.toUpperCase(),
    r.tac !== undefined ? `TAC ${hex(r.tac)}` : r.lac !== undefined ? `LAC ${hex(r.lac)}` : undefined,
    r.ci !== undefined ? `cell ${hex(r.ci)}` : undefined,
  ];
  return parts.filter(Boolean).join(", ");
}

/**
 * Registered on a network in any domain (EPS first). Roaming is how Twilio and KORE SIMs
 * normally work, so it passes; denied is the carrier refusing the SIM.
 */
export const registrationRule: Rule = ({ modem }): Check => {
  if ("error" in modem) return { id: "registration", status: "unknown", detail: "modem not reachable" };
  const s = modem.snapshot;
  const regs = (["eps", "ps", "cs", "5gs"] as const)
    .map((d) => s.registration[d])
    .filter((r): r is Registration => r !== undefined);
  if (regs.length === 0)
    return { id: "registration", status: "unknown", detail: s.errors.registration?.message ?? "no registration reported" };
  const op = s.operator?.name
    ? `${s.operator.name}${s.operator.numeric ? ` (${s.operator.numeric})` : ""}`
    : (s.operator?.numeric ?? "unknown operator");
  const reg = regs.find((r) => r.registered);
  if (reg !== undefined) {
    const how = reg.roaming ? "roaming (normal for Twilio/KORE SIMs)" : "home network";
    const smsOnly = reg.state.includes("sms-only");
    return {
      id: "registration",
      status: smsOnly ? "warn" : "pass",
      detail: `${how} on ${where(reg, op, s.rat)}${smsOnly ? ", SMS only" : ""}`,
      ...(smsOnly
        ? { hint: "registered for SMS only: data will not work; check the rate plan allows data on this network" }
        : {}),
    };
  }
  if (regs.some((r) => r.state === "denied")) {
    return {
      id: "registration",
      status: "fail",
      detail: "registration denied by the network",
      hint: "the network refuses the SIM: check it is active in the account and its rate plan allows this country/network",
    };
  }
  if (regs.some((r) => r.state === "searching")) {
    return {
      id: "registration",
      status: "warn",
      detail: "searching for a network",
      hint: "no network yet: check the antenna and coverage; wait a minute after boot",
    };
  }
  return {
    id: "registration",
    status: "fail",
    detail: `not registered (${regs.map((r) => `${r.domain} ${r.state}`).join(", ")})`,
    hint: "the modem is not trying to register: check AT+CFUN? is 1 and AT+COPS is automatic",
  };
};
