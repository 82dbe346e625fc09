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

/** The simulated account: what the routes read and change. */
export class ApiStore {
  constructor(readonly accountSid: string = newSid("AC")) {}

  readonly sims: SimRecord[] = [];
  readonly ratePlans: RatePlanRecord[] = [];
  readonly commands: CommandRecord[] = [];
  readonly dataSessions: DataSessionRecord[] = [];
  readonly traffic: TrafficEvent[] = [];
  readonly fleets: FleetRecord[] = [];

  findSim(sidOrName: string): SimRecord | undefined {
    return this.sims.find((s) => s.sid === sidOrName || s.uniqueName === sidOrName);
  }

  findRatePlan(sidOrName: string): RatePlanRecord | undefined {
    return this.ratePlans.find((p) => p.sid === sidOrName || p.uniqueName === sidOrName);
  }

  findFleet(sidOrName: string): FleetRecord | undefined {
    return this.fleets.find((f) => f.sid === sidOrName || f.uniqueName === sidOrName);
  }
}

/** The account's other SIMs, in every status, on both plans (so lists page and filters filter). */
function seedFleet(store: ApiStore, like: SimRecord, count: number, planSids: [string, string]): void {
  const statuses = ["active", "ready", "suspended", "deactivated", "new"];
  for (let i = 0; i < count; i++) {
    store.sims.push({
      ...like,
      sid: newSid("DE"),
      uniqueName: `gateway-${String(i + 2).padStart(4, "0")}`,
      friendlyName: `Field gateway ${i + 2}`,
      iccid: `89883070000${String(100000000 + i).slice(1)}`,
      status: statuses[i % statuses.length]!,
      ratePlanSid: planSids[i % 3 === 0 ? 1 : 0],
      // Every fourth an eUICC (it has an EID); the "new" ones still carry the registration code printed on their card.
      eId: i % 4 === 3 ? `8904903200000000000000000${String(1000 + i).padStart(7, "0")}` : null,
      ...(statuses[i % statuses.length] === "new" ? { registrationCode: `RC${String(4711 + i)}` } : {}),
    });
  }
}

export interface Seed {
  /** The gateway's SIM (the modem simulator's ICCID by default). */
  iccid: string;
  /** Extra SIMs in the account, so listing pages. */
  otherSims?: number;
  now: Date;
}

/**
 * An account as a gateway operator has one: a rate plan with data, messaging and roaming, the
 * gateway's SIM active on it, other SIMs, last month's and this month's traffic, a past data
 * session. Deterministic apart from SIDs.
 */
export function seedStore(store: ApiStore, seed: Seed): { sim: SimRecord; ratePlan: RatePlanRecord } {
  const t = seed.now.getTime();
  const day = 86_400_000;
  const plan: RatePlanRecord = {
    sid: newSid("WP"),
    uniqueName: "gateway-plan",
    friendlyName: "Gateways: 500 MB, roaming",
    dataEnabled: true,
    dataMetering: "payg",
    dataLimit: 500,
    messagingEnabled: true,
    voiceEnabled: false,
    nationalRoamingEnabled: true,
    nationalRoamingDataLimit: 500,
    internationalRoaming: ["data", "messaging"],
    internationalRoamingDataLimit: 100,
    dateCreated: new Date(t - 400 * day),
    dateUpdated: new Date(t - 400 * day),
  };
  const restricted: RatePlanRecord = {
    ...plan,
    sid: newSid("WP"),
    uniqueName: "no-roaming",
    friendlyName: "Home only, 50 MB",
    dataLimit: 50,
    nationalRoamingEnabled: false,
    internationalRoaming: [],
  };
  store.ratePlans.push(plan, restricted);
  const sim: SimRecord = {
    sid: newSid("DE"),
    uniqueName: "gateway-0001",
    friendlyName: "Field gateway 0001",
    iccid: seed.iccid,
    eId: null,
    ratePlanSid: plan.sid,
    status: "active",
    resetStatus: null,
    commandsCallbackUrl: null,
    commandsCallbackMethod: "POST",
    ipAddress: null,
    dateCreated: new Date(t - 200 * day),
    dateUpdated: new Date(t - 10 * day),
  };
  store.sims.push(sim);
  seedFleet(store, sim, seed.otherSims ?? 11, [plan.sid, restricted.sid]);
  seedTraffic(store, sim.sid, t);
  return { sim, ratePlan: plan };
}

/** 120 MB in the last days, 50 MB last month, a data session that ended yesterday. */
function seedTraffic(store: ApiStore, simSid: string, t: number): void {
  const day = 86_400_000;
  const d = new Date(t);
  // Both inside their calendar month whatever today is, so "this month" always shows 120 MB.
  const recent = Math.max(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1), t - 2 * day);
  const lastMonth = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 1, 10);
  store.traffic.push({ kind: "data", simSid, at: recent, upload: 20_000_000, download: 100_000_000 });
  store.traffic.push({ kind: "data", simSid, at: lastMonth, upload: 5_000_000, download: 45_000_000 });
  store.dataSessions.push({
    sid: newSid("WN"),
    simSid,
    radioLink: "LTE",
    operatorMcc: "310",
    operatorMnc: "260",
    operatorCountry: "USA",
    operatorName: "T-Mobile",
    cellId: "310-260-11544-50896642",
    cellLocation: { lat: 47.6062, lon: -122.3321 },
    packetsUploaded: 15_230,
    packetsDownloaded: 98_410,
    lastUpdated: new Date(t - day),
    start: new Date(t - 3 * day),
    end: new Date(t - day),
    imei: null,
  });
}
