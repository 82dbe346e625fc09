// What the Wireless API simulator (server.ts) is started with, the faults it injects, and what it records.
import type { Clock, Logger } from "../../core/index.js";

export interface ApiSimulatorOptions {
  port?: number;
  host?: string;
  product?: "programmable-wireless" | "super-sim";
  accountSid?: string;
  authToken?: string;
  /** The gateway SIM's ICCID (default: the modem simulator's). */
  iccid?: string;
  otherSims?: number;
  clock?: Clock;
  /** How long asynchronous changes take (SIM status, Command delivery). */
  asyncMs?: number;
  /** KORE OAuth2 token lifetime, seconds. */
  tokenTtlS?: number;
  log?: Logger;
  /** A fleet of this many gateways' SIMs besides the seeded account (gw-00001…, active; see `fleet`). */
  fleet?: number;
  /** The account's REST concurrency: a request beyond it is answered 429 / 20429 with Retry-After, not carried out. */
  concurrency?: number;
  /** How long the API takes to answer each request (held against the concurrency, as on the real one). */
  latencyMs?: number;
  /** Undelivered MT Commands one SIM may have before more are refused with 33118 (default 100). */
  queueLimit?: number;
  /** How often an MT Command to a device that is away is tried again (default 30 s; for a day). */
  deliveryRetryMs?: number;
}

/**
 * A fault for the next matching request(s): an error status, a credential refused, a slow answer, a reset connection;
 * with `after`, the request is carried out first (a Command is created) and then the answer is
 * the error or the connection is reset — what makes a blind retry create a second Command.
 */
export type Fault =
  | { status: 429; retryAfterS?: number }
  | { status: 500 | 502 | 503; after?: boolean }
  | { status: 401 }
  | { delayMs: number }
  | { reset: true; after?: boolean };

export interface RecordedResponse {
  operationId: string;
  method: string;
  path: string;
  status: number;
  body: unknown;
}

export interface SimulatorCredentials {
  accountSid: string;
  authToken: string;
  apiKeySid: string;
  apiKeySecret: string;
  clientId: string;
  clientSecret: string;
}
