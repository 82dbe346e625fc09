import type { ApiHttp } from "../http.js";
import { paginate, type PageOptions } from "../paging.js";
import { boolOrNull, numOrNull, object, sid, strOrNull, type Json } from "../records.js";
import { parseCommand, parseSim } from "./parse.js";
import type { Command, Sim, UsageRecord } from "./types.js";

export interface Fleet {
  sid: string;
  uniqueName: string | null;
  dataEnabled: boolean | null;
  dataLimitMb: number | null;
  dataMetering: string | null;
  smsCommandsEnabled: boolean | null;
  smsCommandsUrl: string | null;
}

function parseFleet(j: Json): Fleet {
  return {
    sid: sid(j, "sid", "HF", "Fleet"),
    uniqueName: strOrNull(j, "unique_name"),
    dataEnabled: boolOrNull(j, "data_enabled"),
    dataLimitMb: numOrNull(j, "data_limit"),
    dataMetering: strOrNull(j, "data_metering"),
    smsCommandsEnabled: boolOrNull(j, "sms_commands_enabled"),
    smsCommandsUrl: strOrNull(j, "sms_commands_url"),
  };
}

/** Super SIM usage records are flat (`data_upload`, `data_download`, `data_total`). */
function parseSuperUsage(j: Json): UsageRecord {
  const period = typeof j.period === "object" && j.period !== null ? (j.period as Json) : null;
  return {
    simSid: strOrNull(j, "sim_sid"),
    periodStart: period ? (strOrNull(period, "start_time") ?? strOrNull(period, "start")) : null,
    periodEnd: period ? (strOrNull(period, "end_time") ?? strOrNull(period, "end")) : null,
    data: {
      total: numOrNull(j, "data_total"),
      upload: numOrNull(j, "data_upload"),
      download: numOrNull(j, "data_download"),
      billed: numOrNull(j, "data_total_billed"),
      billingUnits: strOrNull(j, "billed_unit"),
    },
    commands: { total: null, fromSim: null, toSim: null },
  };
}

/** Super SIM v1: Sims (HS…), Fleets, SmsCommands, UsageRecords — what matches Programmable Wireless. */
export class SuperSimResources {
  constructor(readonly http: ApiHttp) {}

  listSims(f: { status?: string; fleet?: string; iccid?: string } = {}, o: PageOptions = {}): AsyncGenerator<Sim> {
    return paginate(
      this.http,
      "/v1/Sims",
      { Status: f.status, Fleet: f.fleet, Iccid: f.iccid },
      "sims",
      (j) => parseSim(j, "HS"),
      o,
    );
  }

  async fetchSim(sidOrName: string): Promise<Sim> {
    return parseSim(object((await this.http.request("GET", `/v1/Sims/${encodeURIComponent(sidOrName)}`)).body, "Sim"), "HS");
  }

  /** Any 2xx is success: a status change answers 202 with status `scheduled` and finishes later (the CallbackUrl is called). */
  async updateSim(
    sidOrName: string,
    u: { status?: string; fleet?: string; uniqueName?: string; callbackUrl?: string; callbackMethod?: "GET" | "POST" },
  ): Promise<Sim> {
    const form = {
      Status: u.status,
      Fleet: u.fleet,
      UniqueName: u.uniqueName,
      CallbackUrl: u.callbackUrl,
      CallbackMethod: u.callbackMethod,
    };
    const res = await this.http.request("POST", `/v1/Sims/${encodeURIComponent(sidOrName)}`, { form, idempotent: true });
    return parseSim(object(res.body, "Sim"), "HS");
  }

  async fetchFleet(sidOrName: string): Promise<Fleet> {
    return parseFleet(object((await this.http.request("GET", `/v1/Fleets/${encodeURIComponent(sidOrName)}`)).body, "Fleet"));
  }

  async createSmsCommand(c: {
    sim: string;
    payload: string;
    callbackUrl?: string;
    callbackMethod?: "GET" | "POST";
  }): Promise<Command> {
    const form = { Sim: c.sim, Payload: c.payload, CallbackUrl: c.callbackUrl, CallbackMethod: c.callbackMethod };
    return parseCommand(object((await this.http.request("POST", "/v1/SmsCommands", { form })).body, "SmsCommand"));
  }

  async fetchSmsCommand(sid: string): Promise<Command> {
    return parseCommand(
      object((await this.http.request("GET", `/v1/SmsCommands/${encodeURIComponent(sid)}`)).body, "SmsCommand"),
    );
  }

  listSmsCommands(f: { sim?: string; status?: string; direction?: string } = {}, o: PageOptions = {}): AsyncGenerator<Command> {
    return paginate(
      this.http,
      "/v1/SmsCommands",
      { Sim: f.sim, Status: f.status, Direction: f.direction },
      "sms_commands",
      parseCommand,
      o,
    );
  }

  usageRecords(
    q: { sim?: string; start?: Date; end?: Date; granularity?: "hour" | "day" | "all" } = {},
    o: PageOptions = {},
  ): AsyncGenerator<UsageRecord> {
    return paginate(
      this.http,
      "/v1/UsageRecords",
      { Sim: q.sim, StartTime: q.start, EndTime: q.end, Granularity: q.granularity },
      "usage_records",
      parseSuperUsage,
      o,
    );
  }
}
