import type { Clock, Logger } from "../core/index.js";
import type { Outbox } from "./outbox.js";
import type { SendLedger } from "./send-ledger.js";
import type { CommandSendRequest, CommandSentPayload, Stamp } from "./topics.js";

export interface MqttLinkOptions {
  url: string;
  clientId: string;
  /** Topic prefix, e.g. cellgate/gw-0001. */
  prefix: string;
  username?: string;
  password?: string;
  tls?: { ca?: Buffer; cert?: Buffer; key?: Buffer; rejectUnauthorized?: boolean };
  protocolVersion?: 4 | 5;
  /** false: `status` and its Will are not retained (for a bridge to a broker that rejects retained Wills). */
  statusRetain?: boolean;
  keepaliveS?: number;
  outbox: Outbox;
  version: string;
  /** The time and its quality for every payload: now, or the system clock time `at` on the same clock. */
  stamp: (at?: number) => Stamp;
  clock?: Clock;
  log?: Logger;
  /** How long a QoS 1 publish waits for its PUBACK before the message goes to the outbox. */
  ackTimeoutMs?: number;
  /** Dedupes commands/send by transaction and holds it to the MO budget; without it every request is sent. */
  sendLedger?: SendLedger;
  /** Reconnect backoff: from min, doubling, jittered, to max. */
  reconnectMinMs?: number;
  reconnectMaxMs?: number;
}

export interface MqttLinkState {
  connected: boolean;
  /** Clock time of the last change of `connected`. */
  since: number;
  reconnects: number;
  lastError: string | null;
  /** The MQTT bridge's link to the fleet broker, from its notification topic (`<prefix>/bridge`); null until one is seen. */
  bridge: { up: boolean; since: number } | null;
}

export type MqttLinkEvents = {
  connected: [];
  disconnected: [reason: string];
};

export type CommandSendHandler = (req: CommandSendRequest) => Promise<NonNullable<CommandSentPayload["data"]>>;

/** A message on a topic the link subscribed to for someone (commands/send, requests, Home Assistant's status). */
export interface Incoming {
  topic: string;
  payload: Buffer;
  retain: boolean;
  /** MQTT 5 response topic and correlation data, when the sender gave them. */
  responseTopic?: string;
  correlationData?: Buffer;
}

/** The MQTT 5 publish properties a reply may carry. */
export interface PublishExtras {
  correlationData?: Buffer;
}

/** Whether a topic matches an MQTT filter (+ one level, # the rest). */
export function topicMatches(filter: string, topic: string): boolean {
  const f = filter.split("/");
  const t = topic.split("/");
  for (let i = 0; i < f.length; i++) {
    if (f[i] === "#") return true;
    if (i >= t.length || (f[i] !== "+" && f[i] !== t[i])) return false;
  }
  return f.length === t.length;
}

/** The broker URL without a password, for logs and errors. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return url.replace(/:[^:@/]*@/, ":***@");
  }
}
