import type { Decision } from "./authenticate.js";

/**
 * What the verbs read and do, declared here so commands/ depends on no other folder: the
 * composition root adapts the modem, health, carrier and MQTT state into these shapes.
 */
export interface GatewayView {
  verdict: "ok" | "degraded" | "down" | "unknown";
  /** Failing and warning checks, most important first. */
  failing: ReadonlyArray<{ id: string; status: string; detail: string; hint?: string }>;
  modem: { answering: boolean; model: string | null; revision: string | null; port: string | null };
  registration: { state: string; roaming: boolean } | null;
  operator: { name: string | null; mcc: string | null; mnc: string | null } | null;
  accessTech: string | null;
  cell: { tac: number | null; lac: number | null; ci: number | null; band?: string | null; pci?: number | null } | null;
  signal: {
    rssiDbm: number | null;
    rsrpDbm: number | null;
    rsrqDb: number | null;
    sinrDb: number | null;
    ber?: number | null;
  } | null;
  attached: boolean | null;
  apn: string | null;
  ip: string | null;
  /** The data path in one word: up, failing, down, fixing-<step>, blocked, waiting, unknown, off. */
  dataPath: string | null;
  iccid: string | null;
  /** The carrier's view, when there is one. */
  carrier: {
    status: string | null;
    plan: string | null;
    dataEnabled: boolean | null;
    usedBytes: number | null;
    limitBytes: number | null;
    ageS: number;
  } | null;
  /** Why there is no carrier view (API off, not configured, failing). */
  carrierError: string | null;
  mqtt: { connected: boolean; forS: number; outboxDepth: number; dropped: number; reconnects: number };
  uptimeS: number;
  hostUptimeS: number;
  version: string;
  clock: string;
}

export interface ResetOutcome {
  ok: boolean;
  /** Why it was refused or what failed. */
  detail: string;
  tookMs: number;
}

/** What the verbs need of the gateway. */
export interface Gateway {
  /** The gateway's picture as the daemon last read it (polls, URCs): reading asks the modem nothing. */
  view(): GatewayView;
  /** A fresh read of the modem and the health rules, then the picture: for a verb that changed the modem. */
  refresh(): Promise<GatewayView>;
  /** The recovery ladder's reset step; resolves when the modem answers again or the step failed. */
  resetModem(reason: string): Promise<ResetOutcome>;
  /** The configured host reboot command; resolves when it was started, rejects with why it could not be. */
  reboot(): Promise<void>;
}

/** An inbound SMS as the inbox hands it off (the fields commands/ reads). */
export interface InboundCommand {
  id: string;
  kind: "command" | "foreign" | "undecodable" | "status-report";
  sender: string | null;
  text?: string;
  dataBase64?: string;
  sid?: string;
  /** The service centre time stamp, ISO with offset. */
  timestamp: string | null;
}

/** What `commands/received` says of the text's authentication; none: not addressed to cellgate (delivered as it is). */
export type AuthResult = "verified" | "unsigned" | "rejected" | "none";

export interface Admission {
  msg: InboundCommand;
  auth: AuthResult;
  decision: Decision | null;
  /** Which time the window was checked against. */
  clock: "synced" | "network" | "scts" | "unsynced";
  /** The journal key of an accepted Command. */
  key?: string;
}
