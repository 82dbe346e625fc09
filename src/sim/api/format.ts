import type { CommandRecord, DataSessionRecord, FleetRecord, RatePlanRecord, SimRecord } from "./store.js";

/** API date-times: ISO 8601 UTC without milliseconds, as the live API writes them. */
export const iso = (d: Date | null) => (d === null ? null : `${d.toISOString().slice(0, 19)}Z`);

/** The JSON of each resource, field for field as twilio_wireless_v1.json describes it. */
export function simJson(s: SimRecord, base: string, accountSid: string) {
  const url = `${base}/v1/Sims/${s.sid}`;
  return {
    sid: s.sid,
    unique_name: s.uniqueName,
    account_sid: accountSid,
    rate_plan_sid: s.ratePlanSid,
    friendly_name: s.friendlyName,
    iccid: s.iccid,
    e_id: s.eId,
    status: s.status,
    reset_status: s.resetStatus,
    commands_callback_url: s.commandsCallbackUrl,
    commands_callback_method: s.commandsCallbackMethod,
    sms_fallback_method: "POST",
    sms_fallback_url: null,
    sms_method: "POST",
    sms_url: null,
    voice_fallback_method: "POST",
    voice_fallback_url: null,
    voice_method: "POST",
    voice_url: null,
    date_created: iso(s.dateCreated),
    date_updated: iso(s.dateUpdated),
    url,
    links: {
      data_sessions: `${url}/DataSessions`,
      rate_plan: s.ratePlanSid ? `${base}/v1/RatePlans/${s.ratePlanSid}` : null,
      usage_records: `${url}/UsageRecords`,
    },
    ip_address: s.ipAddress,
  };
}

export function ratePlanJson(p: RatePlanRecord, base: string, accountSid: string) {
  return {
    sid: p.sid,
    unique_name: p.uniqueName,
    account_sid: accountSid,
    friendly_name: p.friendlyName,
    data_enabled: p.dataEnabled,
    data_metering: p.dataMetering,
    data_limit: p.dataLimit,
    messaging_enabled: p.messagingEnabled,
    voice_enabled: p.voiceEnabled,
    national_roaming_enabled: p.nationalRoamingEnabled,
    national_roaming_data_limit: p.nationalRoamingDataLimit,
    international_roaming: p.internationalRoaming,
    international_roaming_data_limit: p.internationalRoamingDataLimit,
    date_created: iso(p.dateCreated),
    date_updated: iso(p.dateUpdated),
    url: `${base}/v1/RatePlans/${p.sid}`,
  };
}

export function commandJson(c: CommandRecord, base: string, accountSid: string) {
  return {
    sid: c.sid,
    account_sid: accountSid,
    sim_sid: c.simSid,
    command: c.command,
    command_mode: c.commandMode,
    transport: c.transport,
    delivery_receipt_requested: c.deliveryReceiptRequested,
    status: c.status,
    direction: c.direction,
    date_created: iso(c.dateCreated),
    date_updated: iso(c.dateUpdated),
    url: `${base}/v1/Commands/${c.sid}`,
  };
}

export function dataSessionJson(d: DataSessionRecord, accountSid: string) {
  return {
    sid: d.sid,
    sim_sid: d.simSid,
    account_sid: accountSid,
    radio_link: d.radioLink,
    operator_mcc: d.operatorMcc,
    operator_mnc: d.operatorMnc,
    operator_country: d.operatorCountry,
    operator_name: d.operatorName,
    cell_id: d.cellId,
    cell_location_estimate: d.cellLocation ?? {},
    packets_uploaded: d.packetsUploaded,
    packets_downloaded: d.packetsDownloaded,
    last_updated: iso(d.lastUpdated),
    start: iso(d.start),
    end: iso(d.end),
    imei: d.imei,
  };
}

export function fleetJson(f: FleetRecord, base: string, accountSid: string) {
  return {
    account_sid: accountSid,
    sid: f.sid,
    unique_name: f.uniqueName,
    date_created: iso(f.dateCreated),
    date_updated: iso(f.dateUpdated),
    url: `${base}/v1/Fleets/${f.sid}`,
    data_enabled: f.dataEnabled,
    data_limit: f.dataLimit,
    data_metering: f.dataMetering,
    sms_commands_enabled: f.smsCommandsEnabled,
    sms_commands_url: f.smsCommandsUrl,
    sms_commands_method: f.smsCommandsMethod,
    network_access_profile_sid: null,
    ip_commands_url: null,
    ip_commands_method: "POST",
  };
}
