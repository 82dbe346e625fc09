import { randomBytes } from "node:crypto";

/** A SID: a prefix and 32 hex digits, as the API's patterns require. */
export function newSid(prefix: string): string {
  return `${prefix}${randomBytes(16).toString("hex")}`;
}

export interface SimRecord {
  sid: string;
  uniqueName: string | null;
  friendlyName: string | null;
  iccid: string;
  eId: string | null;
  ratePlanSid: string | null;
  status: string;
  resetStatus: string | null;
  commandsCallbackUrl: string | null;
  commandsCallbackMethod: "GET" | "POST";
  /** Super SIM only. */
  fleetSid?: string;
  registrationCode?: string;
  ipAddress: string | null;
  dateCreated: Date;
  dateUpdated: Date;
}

export interface RatePlanRecord {
  sid: string;
  uniqueName: string | null;
  friendlyName: string | null;
  dataEnabled: boolean;
  dataMetering: string;
  dataLimit: number;
  messagingEnabled: boolean;
  voiceEnabled: boolean;
  nationalRoamingEnabled: boolean;
  nationalRoamingDataLimit: number;
  internationalRoaming: string[];
  internationalRoamingDataLimit: number;
  dateCreated: Date;
  dateUpdated: Date;
}

export interface CommandRecord {
  sid: string;
  simSid: string;
  command: string;
  commandMode: "text" | "binary";
  transport: "sms" | "ip";
  deliveryReceiptRequested: boolean;
  status: "queued" | "sent" | "delivered" | "received" | "failed";
  direction: "from_sim" | "to_sim";
  callbackUrl: string | null;
  callbackMethod: "GET" | "POST";
  /** IncludeSid of an MT text Command. */
  includeSid: "none" | "start" | "end";
  dateCreated: Date;
  dateUpdated: Date;
  /** An MT Command the network could not deliver yet (the device away): tried again until then (clock ms). */
  retryUntil?: number;
}

export interface DataSessionRecord {
  sid: string;
  simSid: string;
  radioLink: string;
  operatorMcc: string;
  operatorMnc: string;
  operatorCountry: string;
  operatorName: string;
  cellId: string;
  cellLocation: { lat: number; lon: number } | null;
  packetsUploaded: number;
  packetsDownloaded: number;
  lastUpdated: Date;
  start: Date;
  end: Date | null;
  imei: string | null;
}

/** Bytes moved, or a Command sent, at a time: what usage records add up. */
export type TrafficEvent =
  | { kind: "data"; simSid: string; at: number; upload: number; download: number }
  | { kind: "command"; simSid: string; at: number; direction: "from_sim" | "to_sim" };

export interface FleetRecord {
  sid: string;
  uniqueName: string;
  dataEnabled: boolean;
  dataLimit: number;
  dataMetering: string;
  smsCommandsEnabled: boolean;
  smsCommandsUrl: string | null;
  smsCommandsMethod: "GET" | "POST";
  dateCreated: Date;
  dateUpdated: Date;
}

/** An alert of the Monitor API: an error logged against a resource (a Super SIM's refused attach: 83703). */
export interface AlertRecord {
  sid: string;
  errorCode: string;
  logLevel: "error" | "warning" | "notice" | "debug";
  text: string;
  resourceSid: string | null;
  at: number;
}

/** The simulated account: what the routes read and change. */
export class ApiStore {
  constructor(readonly accountSid: string = newSid("AC")) {}

  readonly sims: SimRecord[] = [];
  readonly ratePlans: RatePlanRecord[] = [];
  readonly commands: CommandRecord[] = [];
  readonly dataSessions: DataSessionRecord[] = [];
  readonly traffic: TrafficEvent[] = [];
  readonly fleets: FleetRecord[] = [];
  readonly alerts: AlertRecord[] = [];

  /** Found SIMs by SID and unique name (a fleet of 10,000 is looked up on every request); checked on every hit. */
  readonly #simIndex = new Map<string, SimRecord>();
  readonly #removed = new WeakSet<SimRecord>();

  findSim(sidOrName: string): SimRecord | undefined {
    const hit = this.#simIndex.get(sidOrName);
    if (hit !== undefined && !this.#removed.has(hit) && (hit.sid === sidOrName || hit.uniqueName === sidOrName)) return hit;
    const s = this.sims.find((x) => x.sid === sidOrName || x.uniqueName === sidOrName);
    if (s !== undefined) this.#simIndex.set(sidOrName, s);
    return s;
  }

  removeSim(s: SimRecord): void {
    const i = this.sims.indexOf(s);
    if (i >= 0) this.sims.splice(i, 1);
    this.#removed.add(s);
  }

  readonly #bySim = new Map<string, CommandRecord[]>();

  addCommand(c: CommandRecord): void {
    this.commands.push(c);
    const list = this.#bySim.get(c.simSid);
    if (list) list.push(c);
    else this.#bySim.set(c.simSid, [c]);
  }

  removeCommand(c: CommandRecord): void {
    const i = this.commands.indexOf(c);
    if (i >= 0) this.commands.splice(i, 1);
    const list = this.#bySim.get(c.simSid);
    if (list) list.splice(list.indexOf(c), 1);
  }

  /** This SIM's Commands, oldest first. */
  commandsOf(simSid: string): readonly CommandRecord[] {
    return this.#bySim.get(simSid) ?? [];
  }

  /** MT Commands to this SIM the network still holds (queued, or being tried again): the per-SIM queue. */
  queuedFor(simSid: string): number {
    return this.commandsOf(simSid).filter(
      (c) => c.direction === "to_sim" && (c.status === "queued" || c.retryUntil !== undefined),
    ).length;
  }

  findRatePlan(sidOrName: string): RatePlanRecord | undefined {
    return this.ratePlans.find((p) => p.sid === sidOrName || p.uniqueName === sidOrName);
  }

  findFleet(sidOrName: string): FleetRecord | undefined {
    return this.fleets.find((f) => f.sid === sidOrName || f.uniqueName === sidOrName);
  }
}
