import { isStrictBase64 } from "../core/index.js";

/**
 * The MQTT topics as types: topic name → payload (docs/mqtt.md's topic table and payload types
 * are generated from this file). Every payload carries `ts` (ISO 8601) and `clock`, the quality
 * of that time: `synced` (the system clock is NTP-synced), `network` (taken from the modem's
 * network time), `unsynced` (the system clock, unverified — a Pi has no RTC).
 */
export type ClockQuality = "synced" | "network" | "unsynced";

export interface Stamp {
  ts: string;
  clock: ClockQuality;
}

export interface StatusPayload extends Stamp {
  state: "online" | "offline";
  /** When this state began. */
  since: string;
  version: string;
  reason?: string;
}

export interface ModemPayload extends Stamp {
  manufacturer: string | null;
  model: string | null;
  revision: string | null;
  imei: string | null;
  iccid: string | null;
  imsi: string | null;
  vendor: string | null;
  port: string | null;
}

export interface NetworkPayload extends Stamp {
  registration: { state: string; domain: string; roaming: boolean } | null;
  operator: { name: string | null; mcc: string | null; mnc: string | null } | null;
  accessTech: string | null;
  /** gsm, umts, lte, lte-m, nb-iot, nr: the radio as an operator names it. */
  rat: string | null;
  cell: { tac: number | null; lac: number | null; ci: number | null } | null;
  signal: { rssiDbm: number | null; rsrpDbm: number | null; rsrqDb: number | null; sinrDb: number | null } | null;
  attached: boolean | null;
  apn: string | null;
  ip: string | null;
}

export interface SimPayload extends Stamp {
  /** The carrier's view (CarrierView), or null with why it is missing. */
  view: unknown;
  /** When the view was fetched from the API (a change of this republishes the snapshot). */
  fetchedAt: string | null;
  error?: string;
}

export interface HealthPayload extends Stamp {
  verdict: "ok" | "degraded" | "down" | "unknown";
  checks: Array<{ id: string; status: string; detail: string; hint?: string }>;
  at: string;
}

export interface TelemetryPayload extends Stamp {
  uptimeS: number;
  signal: NetworkPayload["signal"];
  registered: boolean | null;
  roaming: boolean | null;
  attached: boolean | null;
  accessTech: string | null;
  outbox: { depth: number; dropped: number };
  mqttReconnects: number;
}

export interface CommandReceivedPayload extends Stamp {
  id: string;
  sid: string | null;
  kind: "command" | "foreign" | "undecodable" | "status-report";
  sender: string | null;
  mode: "text" | "binary" | null;
  text?: string;
  data?: string;
  received_at: string;
  /** The service centre time stamp. */
  sent_at: string | null;
  /**
   * verified: a valid signature; unsigned: a verb allowed without one; rejected: not run (auth_reason
   * says why); none: not addressed to cellgate (an application's Command, binary, another number's
   * SMS), delivered as it is.
   */
  auth: "verified" | "unsigned" | "rejected" | "none";
  auth_reason?: string;
  incomplete?: boolean;
  error?: { code: string; message: string };
  pdus?: string[];
}

export interface CommandSendRequest {
  text?: string;
  /** Base64. */
  data?: string;
  transaction?: string;
}

export interface CommandSentPayload extends Stamp {
  status: "ok" | "error";
  transaction: string | null;
  data?: { mr: number; to: string; mode: "text" | "binary" };
  error?: { code: string; message: string };
}

export interface EventPayload extends Stamp {
  type: string;
  detail: string;
  [key: string]: unknown;
}

export interface Topics {
  status: StatusPayload;
  modem: ModemPayload;
  network: NetworkPayload;
  sim: SimPayload;
  health: HealthPayload;
  telemetry: TelemetryPayload;
  "commands/received": CommandReceivedPayload;
  "commands/sent": CommandSentPayload;
  events: EventPayload;
}

export type TopicName = keyof Topics;

/** How each topic is published: retained or not, and its QoS. */
export const TOPIC_RULES: Record<TopicName, { retain: boolean; qos: 0 | 1 }> = {
  status: { retain: true, qos: 1 },
  modem: { retain: true, qos: 1 },
  network: { retain: true, qos: 1 },
  sim: { retain: true, qos: 1 },
  health: { retain: true, qos: 1 },
  telemetry: { retain: false, qos: 0 },
  "commands/received": { retain: false, qos: 1 },
  "commands/sent": { retain: false, qos: 1 },
  events: { retain: false, qos: 1 },
};

export type RetainedTopic = "status" | "modem" | "network" | "sim" | "health";
export type QueuedTopic = "commands/received" | "commands/sent" | "events";

/** The payload of `commands/send`, validated: exactly one of text or data, an optional transaction. */
export function parseCommandSend(raw: string): CommandSendRequest | { error: string } {
  let j: unknown;
  try {
    j = JSON.parse(raw);
  } catch {
    return { error: 'the payload is not JSON: expected {"text": "…"} or {"data": "<base64>"}' };
  }
  if (typeof j !== "object" || j === null || Array.isArray(j))
    return { error: "the payload must be a JSON object with text or data" };
  const o = j as Record<string, unknown>;
  const unknown = Object.keys(o).filter((k) => !["text", "data", "transaction"].includes(k));
  if (unknown.length > 0) return { error: `unknown field(s) ${unknown.join(", ")}: expected text or data, and transaction` };
  if (o.transaction !== undefined && typeof o.transaction !== "string") return { error: "transaction must be a string" };
  const tx = o.transaction === undefined ? {} : { transaction: o.transaction };
  if (typeof o.text === "string" && o.data === undefined)
    return o.text === "" ? { error: "text is empty" } : { text: o.text, ...tx };
  if (typeof o.data === "string" && o.text === undefined) {
    if (!isStrictBase64(o.data)) return { error: "data must be strict base64 (standard alphabet, padded)" };
    return { data: o.data, ...tx };
  }
  return { error: "give exactly one of text (a string) or data (base64)" };
}
