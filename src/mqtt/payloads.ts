import type { ModemSnapshot, NetworkView } from "../modem/index.js";
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

/** The wire shape of `network`, field by field: a change of the domain view does not change it silently. */
export function networkPayload(v: NetworkView): Omit<NetworkPayload, keyof Stamp> {
  const r = v.registration;
  return {
    registration: r ? { state: r.state, domain: r.domain, roaming: r.roaming } : null,
    operator: v.operator,
    accessTech: v.accessTech,
    rat: v.rat,
    cell: v.cell,
    signal: v.signal,
    attached: v.attached,
    apn: v.apn,
    ip: v.ip,
  };
}

export function telemetryPayload(
  n: NetworkView | undefined,
  o: { uptimeS: number; outboxDepth: number; dropped: number; reconnects: number },
): Omit<TelemetryPayload, keyof Stamp> {
  return {
    uptimeS: o.uptimeS,
    signal: n?.signal ?? null,
    registered: n ? (n.registration?.registered ?? false) : null,
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
