import { boolOrNull, numOrNull, objOrNull, sid, str, strings, strOrNull, type Json } from "../records.js";
import type { Command, DataSession, RatePlan, Sim, UsageRecord, UsageTotals } from "./types.js";

export function parseSim(j: Json, prefix = "DE"): Sim {
  return {
    sid: sid(j, "sid", prefix, "Sim"),
    uniqueName: strOrNull(j, "unique_name"),
    accountSid: strOrNull(j, "account_sid"),
    ratePlanSid: strOrNull(j, "rate_plan_sid"),
    friendlyName: strOrNull(j, "friendly_name"),
    iccid: strOrNull(j, "iccid"),
    ...("e_id" in j ? { eId: strOrNull(j, "e_id") } : {}),
    status: strOrNull(j, "status"),
    resetStatus: strOrNull(j, "reset_status"),
    commandsCallbackUrl: strOrNull(j, "commands_callback_url"),
    commandsCallbackMethod: strOrNull(j, "commands_callback_method"),
    ...("fleet_sid" in j ? { fleetSid: strOrNull(j, "fleet_sid") } : {}),
    dateCreated: strOrNull(j, "date_created"),
    dateUpdated: strOrNull(j, "date_updated"),
    url: strOrNull(j, "url"),
  };
}

export function parseRatePlan(j: Json): RatePlan {
  return {
    sid: sid(j, "sid", "WP", "RatePlan"),
    uniqueName: strOrNull(j, "unique_name"),
    friendlyName: strOrNull(j, "friendly_name"),
    dataEnabled: boolOrNull(j, "data_enabled"),
    dataMetering: strOrNull(j, "data_metering"),
    dataLimitMb: numOrNull(j, "data_limit"),
    messagingEnabled: boolOrNull(j, "messaging_enabled"),
    voiceEnabled: boolOrNull(j, "voice_enabled"),
    nationalRoamingEnabled: boolOrNull(j, "national_roaming_enabled"),
    nationalRoamingDataLimitMb: numOrNull(j, "national_roaming_data_limit"),
    internationalRoaming: strings(j, "international_roaming"),
    internationalRoamingDataLimitMb: numOrNull(j, "international_roaming_data_limit"),
  };
}

export function parseCommand(j: Json): Command {
  return {
    sid: str(j, "sid", "Command"),
    simSid: strOrNull(j, "sim_sid"),
    command: strOrNull(j, "command") ?? strOrNull(j, "payload"),
    commandMode: strOrNull(j, "command_mode"),
    transport: strOrNull(j, "transport"),
    deliveryReceiptRequested: boolOrNull(j, "delivery_receipt_requested"),
    status: strOrNull(j, "status"),
    direction: strOrNull(j, "direction"),
    dateCreated: strOrNull(j, "date_created"),
    dateUpdated: strOrNull(j, "date_updated"),
  };
}

function totals(o: Json | null, upload: boolean): UsageTotals {
  const t: UsageTotals = {
    total: o ? numOrNull(o, "total") : null,
    billed: o ? numOrNull(o, "billed") : null,
    billingUnits: o ? strOrNull(o, "billing_units") : null,
  };
  if (upload) {
    t.upload = o ? numOrNull(o, "upload") : null;
    t.download = o ? numOrNull(o, "download") : null;
  }
  return t;
}

/** Sim and account UsageRecords share this shape; `{}` objects (seen in the spec's examples) are all nulls. */
export function parseUsageRecord(j: Json): UsageRecord {
  const period = objOrNull(j, "period");
  const commands = objOrNull(j, "commands");
  return {
    simSid: strOrNull(j, "sim_sid"),
    periodStart: period ? strOrNull(period, "start") : null,
    periodEnd: period ? strOrNull(period, "end") : null,
    data: totals(objOrNull(j, "data"), true),
    commands: {
      total: commands ? numOrNull(commands, "total") : null,
      fromSim: commands ? numOrNull(commands, "from_sim") : null,
      toSim: commands ? numOrNull(commands, "to_sim") : null,
    },
  };
}

export function parseDataSession(j: Json): DataSession {
  const loc = objOrNull(j, "cell_location_estimate");
  const lat = loc ? numOrNull(loc, "lat") : null;
  const lon = loc ? numOrNull(loc, "lon") : null;
  return {
    sid: strOrNull(j, "sid"),
    simSid: strOrNull(j, "sim_sid"),
    radioLink: strOrNull(j, "radio_link"),
    operatorMcc: strOrNull(j, "operator_mcc"),
    operatorMnc: strOrNull(j, "operator_mnc"),
    operatorCountry: strOrNull(j, "operator_country"),
    operatorName: strOrNull(j, "operator_name"),
    cellId: strOrNull(j, "cell_id"),
    cellLocation: lat !== null && lon !== null ? { lat, lon } : null,
    packetsUploaded: numOrNull(j, "packets_uploaded"),
    packetsDownloaded: numOrNull(j, "packets_downloaded"),
    lastUpdated: strOrNull(j, "last_updated"),
    start: strOrNull(j, "start"),
    end: strOrNull(j, "end"),
    imei: strOrNull(j, "imei"),
  };
}
