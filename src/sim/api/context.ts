import type { Clock } from "../../core/index.js";
import type { ApiStore, CommandRecord, SimRecord } from "./store.js";

/**
 * The outcome of handing an MT Command to the network (the modem simulator, or a simulated
 * gateway of a fleet): stored (the device has it: a receipt follows), held (the network keeps
 * it, no receipt), offline (the device cannot be reached now: tried again), failed.
 */
export type MtOutcome = "stored" | "held" | "offline" | "failed";

/** What routes share: the account, the clock, callbacks, and the link to a simulated modem. */
export interface RouteContext {
  store: ApiStore;
  base: string;
  clock: Clock;
  /** Calls a callback URL with form parameters (fire and forget, failures logged). */
  callback(url: string, method: "GET" | "POST", params: Record<string, string>): void;
  /** Set when a modem simulator is connected: delivers an MT Command as an SMS from 2936. */
  deliverMt?: (cmd: CommandRecord, sim: SimRecord) => MtOutcome;
  /** How long async changes (SIM status, Command delivery) take. */
  asyncMs: number;
  product: "programmable-wireless" | "super-sim";
  /** How often an MT Command to a device that is away is tried again (for up to a day). */
  deliveryRetryMs: number;
  /** MT Commands the network holds for one SIM before it refuses more (33118). */
  queueLimit: number;
}

export interface RouteResult {
  status: number;
  body: unknown;
}

export interface Route {
  method: "GET" | "POST" | "DELETE";
  path: RegExp;
  /** The operation in the OpenAPI spec, for conformance checks. */
  operationId: string;
  handle(ctx: RouteContext, params: string[], query: URLSearchParams, form: URLSearchParams): RouteResult;
}
