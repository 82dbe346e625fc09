import type { ApiHttp } from "../http.js";
import { collect, paginate, type PageOptions } from "../paging.js";
import { object } from "../records.js";
import { parseCommand, parseDataSession, parseRatePlan, parseSim, parseUsageRecord } from "./parse.js";
import type { Command, DataSession, RatePlan, Sim, SimStatus, UsageRecord } from "./types.js";

export interface SimFilters {
  status?: SimStatus;
  iccid?: string;
  ratePlan?: string;
  eId?: string;
  simRegistrationCode?: string;
}

export interface SimUpdate {
  uniqueName?: string;
  friendlyName?: string;
  ratePlan?: string;
  status?: SimStatus;
  resetStatus?: "resetting";
  callbackUrl?: string;
  callbackMethod?: "GET" | "POST";
  commandsCallbackUrl?: string;
  commandsCallbackMethod?: "GET" | "POST";
  accountSid?: string;
}

export interface CommandCreate {
  command: string;
  sim?: string;
  commandMode?: "text" | "binary";
  includeSid?: "none" | "start" | "end";
  deliveryReceiptRequested?: boolean;
  callbackUrl?: string;
  callbackMethod?: "GET" | "POST";
}

export interface CommandFilters {
  sim?: string;
  status?: string;
  direction?: "from_sim" | "to_sim";
  transport?: "sms" | "ip";
}

export interface UsageQuery {
  start?: Date;
  end?: Date;
  granularity?: "hourly" | "daily" | "all";
}

/** Programmable Wireless v1 (wireless.twilio.com, or KORE's programmable-wireless API). */
export class WirelessResources {
  constructor(readonly http: ApiHttp) {}

  listSims(f: SimFilters = {}, o: PageOptions = {}): AsyncGenerator<Sim> {
    const query = {
      Status: f.status,
      Iccid: f.iccid,
      RatePlan: f.ratePlan,
      EId: f.eId,
      SimRegistrationCode: f.simRegistrationCode,
    };
    return paginate(this.http, "/v1/Sims", query, "sims", (j) => parseSim(j), o);
  }

  /** By SID or unique name. */
  async fetchSim(sidOrName: string, signal?: AbortSignal): Promise<Sim> {
    return parseSim(
      object((await this.http.request("GET", `/v1/Sims/${encodeURIComponent(sidOrName)}`, signal ? { signal } : {})).body, "Sim"),
    );
  }

  /** Any 2xx is success: the live API answers a status change with 202 and status `updating`. */
  async updateSim(sidOrName: string, u: SimUpdate): Promise<Sim> {
    const form = {
      UniqueName: u.uniqueName,
      FriendlyName: u.friendlyName,
      RatePlan: u.ratePlan,
      Status: u.status,
      ResetStatus: u.resetStatus,
      CallbackUrl: u.callbackUrl,
      CallbackMethod: u.callbackMethod,
      CommandsCallbackUrl: u.commandsCallbackUrl,
      CommandsCallbackMethod: u.commandsCallbackMethod,
      AccountSid: u.accountSid,
    };
    // Setting the same status (or starting the same reset) twice is harmless: retried like a GET.
    const res = await this.http.request("POST", `/v1/Sims/${encodeURIComponent(sidOrName)}`, { form, idempotent: true });
    return parseSim(object(res.body, "Sim"));
  }

  listRatePlans(o: PageOptions = {}): AsyncGenerator<RatePlan> {
    return paginate(this.http, "/v1/RatePlans", {}, "rate_plans", parseRatePlan, o);
  }

  async fetchRatePlan(sidOrName: string, signal?: AbortSignal): Promise<RatePlan> {
    return parseRatePlan(
      object(
        (await this.http.request("GET", `/v1/RatePlans/${encodeURIComponent(sidOrName)}`, signal ? { signal } : {})).body,
        "RatePlan",
      ),
    );
  }

  async createCommand(c: CommandCreate): Promise<Command> {
    const form = {
      Command: c.command,
      Sim: c.sim,
      CommandMode: c.commandMode,
      IncludeSid: c.includeSid,
      DeliveryReceiptRequested: c.deliveryReceiptRequested,
      CallbackUrl: c.callbackUrl,
      CallbackMethod: c.callbackMethod,
    };
    return parseCommand(object((await this.http.request("POST", "/v1/Commands", { form })).body, "Command"));
  }

  listCommands(f: CommandFilters = {}, o: PageOptions = {}): AsyncGenerator<Command> {
    return paginate(
      this.http,
      "/v1/Commands",
      { Sim: f.sim, Status: f.status, Direction: f.direction, Transport: f.transport },
      "commands",
      parseCommand,
      o,
    );
  }

  async fetchCommand(sid: string): Promise<Command> {
    return parseCommand(object((await this.http.request("GET", `/v1/Commands/${encodeURIComponent(sid)}`)).body, "Command"));
  }

  simUsageRecords(simSid: string, q: UsageQuery = {}, o: PageOptions = {}): AsyncGenerator<UsageRecord> {
    return paginate(
      this.http,
      `/v1/Sims/${encodeURIComponent(simSid)}/UsageRecords`,
      usageQuery(q),
      "usage_records",
      parseUsageRecord,
      o,
    );
  }

  accountUsageRecords(q: UsageQuery = {}, o: PageOptions = {}): AsyncGenerator<UsageRecord> {
    return paginate(this.http, "/v1/UsageRecords", usageQuery(q), "usage_records", parseUsageRecord, o);
  }

  dataSessions(simSid: string, o: PageOptions = {}): AsyncGenerator<DataSession> {
    return paginate(this.http, `/v1/Sims/${encodeURIComponent(simSid)}/DataSessions`, {}, "data_sessions", parseDataSession, o);
  }

  /** Convenience: every record of a list. */
  all<T>(gen: AsyncGenerator<T>): Promise<T[]> {
    return collect(gen);
  }
}

function usageQuery(q: UsageQuery) {
  return { Start: q.start, End: q.end, Granularity: q.granularity };
}
