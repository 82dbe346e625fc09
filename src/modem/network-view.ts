import type { AccessTech, ModemSnapshot, Rat, RegDomain, RegState, Registration } from "./types.js";

/**
 * The network as one line of sight: the registration that describes the link, the operator,
 * the cell, the signal, the data context. What the Command replies, the systemd status line,
 * MQTT `network` and telemetry all read; each of them shapes its own output from it.
 */
export interface NetworkView {
  registration: { state: RegState; domain: RegDomain; registered: boolean; roaming: boolean } | null;
  operator: { name: string | null; mcc: string | null; mnc: string | null } | null;
  accessTech: AccessTech | null;
  /** The radio in service as an operator names it (LTE-M and NB-IoT apart from LTE). */
  rat: Rat | null;
  cell: { tac: number | null; lac: number | null; ci: number | null } | null;
  signal: { rssiDbm: number | null; rsrpDbm: number | null; rsrqDb: number | null; sinrDb: number | null } | null;
  attached: boolean | null;
  apn: string | null;
  ip: string | null;
}

/** The registration that describes the link: a registered one, the EPS one first. */
export function mainRegistration(s: ModemSnapshot): Registration | undefined {
  const regs = (["eps", "5gs", "ps", "cs"] as const).map((d) => s.registration[d]).filter((r) => r !== undefined);
  return regs.find((r) => r.registered) ?? regs[0];
}

export function networkView(s: ModemSnapshot): NetworkView {
  const reg = mainRegistration(s);
  const ctx = s.pdp?.find((c) => c.address !== undefined) ?? s.pdp?.[0];
  const q = s.signal;
  const op = s.operator;
  return {
    registration: reg ? { state: reg.state, domain: reg.domain, registered: reg.registered, roaming: reg.roaming } : null,
    operator: op ? { name: op.name ?? null, mcc: op.mcc ?? null, mnc: op.mnc ?? null } : null,
    accessTech: reg?.act ?? null,
    rat: s.rat ?? null,
    cell: reg ? { tac: reg.tac ?? null, lac: reg.lac ?? null, ci: reg.ci ?? null } : null,
    signal: q ? { rssiDbm: q.rssiDbm, rsrpDbm: q.rsrpDbm ?? null, rsrqDb: q.rsrqDb ?? null, sinrDb: q.sinrDb ?? null } : null,
    attached: s.attached ?? null,
    apn: ctx?.apn ?? null,
    ip: ctx?.address ?? null,
  };
}
