import type { RegDomain, RegState, Registration } from "../types.js";
import { accessTech } from "./act.js";
import { afterPrefix, asLines, decField, hexField, parseError, splitFields, type Field } from "./fields.js";

const PREFIXES: ReadonlyArray<[RegDomain, string]> = [
  ["cs", "+CREG:"],
  ["ps", "+CGREG:"],
  ["eps", "+CEREG:"],
  ["5gs", "+C5GREG:"],
];

const STATES: readonly RegState[] = [
  "idle",
  "home",
  "searching",
  "denied",
  "unknown",
  "roaming",
  "home-sms-only",
  "roaming-sms-only",
  "emergency-only",
  "home-csfb-not-preferred",
  "roaming-csfb-not-preferred",
  "attached-rlos",
];
const REGISTERED = new Set([1, 5, 6, 7, 9, 10]);
const ROAMING = new Set([5, 7, 10]);

/** AT+CREG? → `+CREG: <n>,<stat>[,<lac>,<ci>[,<AcT>]]`. */
export const parseCregRead = (reply: string | readonly string[]) => parseRegistrationRead(reply, "cs");
/** AT+CGREG? → `+CGREG: <n>,<stat>[,<lac>,<ci>[,<AcT>[,<rac>]]]`. */
export const parseCgregRead = (reply: string | readonly string[]) => parseRegistrationRead(reply, "ps");
/** AT+CEREG? → `+CEREG: <n>,<stat>[,<tac>,<ci>[,<AcT>]]`. */
export const parseCeregRead = (reply: string | readonly string[]) => parseRegistrationRead(reply, "eps");
/** AT+C5GREG? → `+C5GREG: <n>,<stat>[,<tac>,<ci>[,<AcT>…]]`. */
export const parseC5gregRead = (reply: string | readonly string[]) => parseRegistrationRead(reply, "5gs");

function parseRegistrationRead(reply: string | readonly string[], domain: RegDomain): Registration {
  const lines = asLines(reply);
  const prefix = PREFIXES.find(([d]) => d === domain)![1];
  for (const line of lines) {
    if (afterPrefix(line, prefix) !== undefined) return parseRegistrationLine(line, "read");
  }
  throw parseError(prefix, lines, `no ${prefix} line`);
}

/**
 * One registration line, solicited (`read`: the reply to AT+CxREG?) or unsolicited (`urc`).
 * Field shapes vary by vendor (quotes, spaces, leading zeros, extra fields); the two forms
 * are told apart the way ModemManager does, by context, with one refinement for firmware
 * that sends the solicited shape as a URC (SE MD400, Altair): `<n>,<stat>,<lac>,<ci>` has a
 * short unquoted number second and a long identifier fourth.
 */
export function parseRegistrationLine(line: string, form: "read" | "urc"): Registration {
  const hit = PREFIXES.map(([d, p]) => [d, afterPrefix(line, p)] as const).find(([, rest]) => rest !== undefined);
  if (hit === undefined) throw parseError("registration", line, "not +CREG/+CGREG/+CEREG/+C5GREG");
  const [domain, rest] = hit;
  const f = splitFields(rest!);
  if (f === null) throw parseError("registration", line, "unbalanced quotes");
  const solicitedShape = form === "read" || f.length === 2 || (f.length >= 4 && isShortNumber(f[1]) && isLongId(f[3]));
  const statField = solicitedShape ? f[1] : f[0];
  const stat = decField(statField);
  if (stat === undefined || Number.isNaN(stat) || stat < 0) throw parseError("registration", line, "no <stat>");
  return withLocation({ domain, stat, ...stateOf(stat) }, f.slice(solicitedShape ? 2 : 1));
}

function stateOf(stat: number): Pick<Registration, "state" | "registered" | "roaming"> {
  return { state: STATES[stat] ?? "unknown", registered: REGISTERED.has(stat), roaming: ROAMING.has(stat) };
}

function withLocation(reg: Registration, rest: Field[]): Registration {
  if (rest.length < 2) return reg;
  // <n>=3..5 (27.007 §7.2, §10.1.22): [<cause_type>,<reject_cause>[,<Active-Time>,<Periodic-TAU>]] after <AcT>.
  if (reg.domain === "eps" && rest.length >= 5 && !isLongId(rest[2])) withCauseAndPsm(reg, rest.slice(3));
  // Novatel E362 +CEREG: <tac>,<rac>,<ci>,<AcT> — a short RAC between TAC and a long CI.
  const novatel = rest.length >= 4 && isShortNumber(rest[1]) && isLongId(rest[2]) && isShortNumber(rest[3]);
  const [area, ci, act] = novatel ? [rest[0], rest[2], rest[3]] : [rest[0], rest[1], rest[2]];
  const areaCode = finite(hexField(area));
  const cell = finite(hexField(ci));
  const tech = accessTech(decField(act));
  if (areaCode !== undefined) {
    if (reg.domain === "eps" || reg.domain === "5gs") reg.tac = areaCode;
    else reg.lac = areaCode;
  }
  if (cell !== undefined) reg.ci = cell;
  if (tech !== undefined) reg.act = tech;
  return reg;
}

function withCauseAndPsm(reg: Registration, f: Field[]): void {
  const causeType = decField(f[0]);
  const cause = decField(f[1]);
  if (cause !== undefined && !Number.isNaN(cause)) reg.rejectCause = { type: causeType === 1 ? "vendor" : "emm", cause };
  const active = gprsTimer2(f[2]?.text);
  const tau = gprsTimer3(f[3]?.text);
  if (active !== undefined || tau !== undefined) {
    reg.psm = { activeTimeS: active ?? null, periodicTauS: tau ?? null };
  }
}

const TIMER2_UNIT_S: Readonly<Record<number, number>> = { 0: 2, 1: 60, 2: 360 };
const TIMER3_UNIT_S: Readonly<Record<number, number>> = { 0: 600, 1: 3600, 2: 36_000, 3: 2, 4: 30, 5: 60, 6: 1_152_000 };

/**
 * A GPRS Timer 2 octet as 8 binary digits (TS 24.008 §10.5.7.3: the PSM Active Time, T3324):
 * seconds, or null when deactivated (unit 111); undefined when absent or malformed.
 */
export function gprsTimer2(bits: string | undefined): number | null | undefined {
  return timer(bits, TIMER2_UNIT_S);
}

/** A GPRS Timer 3 octet (§10.5.7.4a: the extended periodic TAU, T3412): seconds, or null when deactivated. */
export function gprsTimer3(bits: string | undefined): number | null | undefined {
  return timer(bits, TIMER3_UNIT_S);
}

function timer(bits: string | undefined, units: Readonly<Record<number, number>>): number | null | undefined {
  if (bits === undefined || !/^[01]{8}$/.test(bits.trim())) return undefined;
  const octet = Number.parseInt(bits.trim(), 2);
  if (octet >> 5 === 7) return null; // deactivated
  // Timer 2's unused units count in minutes (§10.5.7.3); Timer 3 defines every unit.
  return (units[octet >> 5] ?? 60) * (octet & 0x1f);
}

const finite = (n: number | undefined) => (n === undefined || Number.isNaN(n) ? undefined : n);
const isShortNumber = (f: Field | undefined) => f !== undefined && !f.quoted && /^\d{1,3}$/.test(f.text.trim());
const isLongId = (f: Field | undefined) => f !== undefined && f.text.trim().length >= 4 && /^[0-9A-Fa-f]+$/.test(f.text.trim());
