import type { ModemSnapshot, Registration } from "../modem/index.js";
import type { InboundMessage } from "../sms/index.js";
import type { CommandReceivedPayload, ModemPayload, NetworkPayload, Stamp, TelemetryPayload } from "./topics.js";

/** Domain objects to wire payloads (without ts/clock, which the link adds). Pure. */

export function modemPayload(s: ModemSnapshot | undefined, port: string | null): Omit<ModemPayload, keyof Stamp> {
  const id = s?.identity;
  return {
    manufacturer: id?.manufacturer ?? null,
    model: id?.model ?? null,
    revision: id?.revision ?? null,
    imei: id?.imei ?? null,
    iccid: id?.iccid ?? null,
    imsi: id?.imsi ?? null,
    vendor: id?.vendor ?? null,
    port,
  };
}

function mainRegistration(s: ModemSnapshot): Registration | undefined {
  const regs = (["eps", "5gs", "ps", "cs"] as const)
    .map((d) => s.registration[d])
    .filter((r): r is Registration => r !== undefined);
  return regs.find((r) => r.registered) ?? regs[0];
}

export function networkPayload(s: ModemSnapshot): Omit<NetworkPayload, keyof Stamp> {
  const reg = mainRegistration(s);
  const ctx = s.pdp?.find((c) => c.address !== undefined) ?? s.pdp?.[0];
  const q = s.signal;
  return {
    registration: reg ? { state: reg.state, domain: reg.domain, roaming: reg.roaming } : null,
    operator: s.operator ? { name: s.operator.name ?? null, mcc: s.operator.mcc ?? null, mnc: s.operator.mnc ?? null } : null,
    accessTech: reg?.act ?? null,
    cell: reg ? { tac: reg.tac ?? null, lac: reg.lac ?? null, ci: reg.ci ?? null } : null,
    signal: q ? { rssiDbm: q.rssiDbm, rsrpDbm: q.rsrpDbm ?? null, rsrqDb: q.rsrqDb ?? null, sinrDb: q.sinrDb ?? null } : null,
    attached: s.attached ?? null,
    apn: ctx?.apn ?? null,
    ip: ctx?.address ?? null,
  };
}

export function telemetryPayload(
  s: ModemSnapshot | undefined,
  o: { uptimeS: number; outboxDepth: number; dropped: number; reconnects: number },
): Omit<TelemetryPayload, keyof Stamp> {
  const n = s ? networkPayload(s) : undefined;
  return {
    uptimeS: o.uptimeS,
    signal: n?.signal ?? null,
    registered: s ? (mainRegistration(s)?.registered ?? false) : null,
    roaming: n?.registration?.roaming ?? null,
    attached: n?.attached ?? null,
    accessTech: n?.accessTech ?? null,
    outbox: { depth: o.outboxDepth, dropped: o.dropped },
    mqttReconnects: o.reconnects,
  };
}

/** An inbound SMS as published on commands/received (every one: Commands, foreign, undecodable). */
export function commandReceivedPayload(m: InboundMessage): Omit<CommandReceivedPayload, keyof Stamp> {
  return {
    id: m.id,
    sid: m.sid ?? null,
    kind: m.kind,
    sender: m.sender,
    mode: m.text !== undefined ? "text" : m.dataBase64 !== undefined ? "binary" : null,
    ...(m.text !== undefined ? { text: m.text } : {}),
    ...(m.dataBase64 !== undefined ? { data: m.dataBase64 } : {}),
    received_at: m.receivedAt,
    sent_at: m.timestamp,
    auth: "none",
    ...(m.incomplete ? { incomplete: true } : {}),
    ...(m.error ? { error: m.error, pdus: m.pdus } : {}),
  };
}
