import type { Open } from "../records.js";

export type SimStatus = Open<
  "new" | "ready" | "active" | "suspended" | "deactivated" | "canceled" | "scheduled" | "updating" | "inactive"
>;
export type CommandStatus = Open<"queued" | "sent" | "delivered" | "received" | "failed">;

export interface Sim {
  sid: string;
  uniqueName: string | null;
  accountSid: string | null;
  ratePlanSid: string | null;
  friendlyName: string | null;
  iccid: string | null;
  /** The eUICC's EID (Wireless `e_id`); null for a plain UICC, absent on Super SIM. */
  eId?: string | null;
  status: SimStatus | null;
  resetStatus: string | null;
  commandsCallbackUrl: string | null;
  commandsCallbackMethod: string | null;
  /** Super SIM: the Fleet it belongs to. */
  fleetSid?: string | null;
  dateCreated: string | null;
  dateUpdated: string | null;
  url: string | null;
}

export interface RatePlan {
  sid: string;
  uniqueName: string | null;
  friendlyName: string | null;
  dataEnabled: boolean | null;
  dataMetering: string | null;
  /** MB per month on the home network. */
  dataLimitMb: number | null;
  messagingEnabled: boolean | null;
  voiceEnabled: boolean | null;
  nationalRoamingEnabled: boolean | null;
  nationalRoamingDataLimitMb: number | null;
  internationalRoaming: string[];
  internationalRoamingDataLimitMb: number | null;
}

export interface Command {
  sid: string;
  simSid: string | null;
  command: string | null;
  commandMode: Open<"text" | "binary"> | null;
  transport: Open<"sms" | "ip"> | null;
  deliveryReceiptRequested: boolean | null;
  status: CommandStatus | null;
  direction: Open<"from_sim" | "to_sim"> | null;
  dateCreated: string | null;
  dateUpdated: string | null;
}

export interface UsageTotals {
  total: number | null;
  upload?: number | null;
  download?: number | null;
  billed: number | null;
  billingUnits: string | null;
}

export interface UsageRecord {
  simSid: string | null;
  periodStart: string | null;
  periodEnd: string | null;
  /** Bytes. */
  data: UsageTotals;
  /** Command counts (total, from_sim, to_sim). */
  commands: { total: number | null; fromSim: number | null; toSim: number | null };
}

export interface DataSession {
  sid: string | null;
  simSid: string | null;
  radioLink: string | null;
  operatorMcc: string | null;
  operatorMnc: string | null;
  operatorCountry: string | null;
  operatorName: string | null;
  cellId: string | null;
  cellLocation: { lat: number; lon: number } | null;
  packetsUploaded: number | null;
  packetsDownloaded: number | null;
  lastUpdated: string | null;
  start: string | null;
  end: string | null;
  imei: string | null;
}
