/**
 * Home Assistant MQTT discovery, the device form: one retained message on
 * `<discovery prefix>/device/cellgate_<id>/config` with the device (`dev`), the origin (`o`),
 * shared availability, and every entity under `cmps`, each with its platform (`p`) and a
 * unique id built from the gateway id and the entity's key only (stable across restarts and
 * modem swaps). Entities read cellgate's own retained topics; nothing is published for Home
 * Assistant alone but this one message. Pure.
 */
export interface DiscoveryInput {
  /** cellgate's topic prefix (cellgate/<id>). */
  prefix: string;
  gatewayId: string;
  version: string;
  modem: { manufacturer: string | null; model: string | null; revision: string | null; imei: string | null } | null;
}

/** Home Assistant's object ids allow [a-zA-Z0-9_-]. */
export function discoveryNodeId(gatewayId: string): string {
  return `cellgate_${gatewayId.replace(/[^A-Za-z0-9_-]/g, "_")}`;
}

export function discoveryTopic(haPrefix: string, gatewayId: string): string {
  return `${haPrefix}/device/${discoveryNodeId(gatewayId)}/config`;
}

/** Guarded so that a snapshot without the value renders None (unknown), not a template error. */
const path = (obj: string, field: string) => `{{ value_json.${obj}.${field} if value_json.${obj} else None }}`;
const signal = (key: string, name: string, field: string, unit: "dBm" | "dB") => ({
  [key]: {
    p: "sensor",
    name,
    topic: "network",
    value_template: path("signal", field),
    unit_of_measurement: unit,
    device_class: "signal_strength",
    state_class: "measurement",
    entity_category: "diagnostic",
  },
});

export const RAT_OPTIONS = ["GSM", "UMTS", "LTE", "LTE-M", "NB-IoT", "NR"];
export const REGISTRATION_OPTIONS = ["home", "roaming", "searching", "denied", "idle", "unknown"];
export const SIM_STATUS_OPTIONS = [
  "new",
  "ready",
  "active",
  "suspended",
  "deactivated",
  "canceled",
  "scheduled",
  "updating",
  "inactive",
];
export const VERDICT_OPTIONS = ["ok", "degraded", "down", "unknown"];
export const COMMAND_EVENT_TYPES = ["command", "foreign", "undecodable", "status-report"];

/**
 * The entities, by key: `topic` is the cellgate topic (under the prefix) the entity reads, or
 * the request topic the button publishes on. Keys are part of the unique ids: never rename one.
 */
const ENTITIES: Record<string, Record<string, unknown>> = {
  ...signal("rsrp", "RSRP", "rsrpDbm", "dBm"),
  ...signal("rssi", "RSSI", "rssiDbm", "dBm"),
  ...signal("rsrq", "RSRQ", "rsrqDb", "dB"),
  ...signal("sinr", "SINR", "sinrDb", "dB"),
  operator: {
    p: "sensor",
    name: "Operator",
    topic: "network",
    value_template: path("operator", "name"),
    icon: "mdi:radio-tower",
  },
  access_technology: {
    p: "sensor",
    name: "Access technology",
    topic: "network",
    device_class: "enum",
    options: RAT_OPTIONS,
    value_template:
      "{% set m = {'gsm': 'GSM', 'umts': 'UMTS', 'lte': 'LTE', 'lte-m': 'LTE-M', 'nb-iot': 'NB-IoT', 'nr': 'NR'} %}" +
      "{{ m[value_json.rat] if value_json.rat in m else None }}",
  },
  registration: {
    p: "sensor",
    name: "Registration",
    topic: "network",
    device_class: "enum",
    options: REGISTRATION_OPTIONS,
    // The 27.007 states folded into what a dashboard shows: SMS-only and CSFB variants are still home or roaming.
    value_template:
      "{% set s = value_json.registration.state if value_json.registration else 'unknown' %}" +
      "{{ 'home' if s.startswith('home') else 'roaming' if s.startswith('roaming') " +
      "else s if s in ['searching', 'denied', 'idle'] else 'unknown' }}",
  },
  roaming: {
    p: "binary_sensor",
    name: "Roaming",
    topic: "network",
    value_template: "{{ 'ON' if value_json.registration and value_json.registration.roaming else 'OFF' }}",
    icon: "mdi:earth",
  },
  data_path: {
    p: "binary_sensor",
    name: "Data path",
    topic: "network",
    device_class: "connectivity",
    value_template: "{{ 'ON' if value_json.attached and value_json.ip else 'OFF' }}",
  },
  sim_status: {
    p: "sensor",
    name: "SIM status",
    topic: "sim",
    device_class: "enum",
    options: SIM_STATUS_OPTIONS,
    value_template: "{{ value_json.view.sim.status if value_json.view else None }}",
  },
  data_used: {
    p: "sensor",
    name: "Data used this month",
    topic: "sim",
    device_class: "data_size",
    state_class: "total_increasing",
    unit_of_measurement: "B",
    value_template: "{{ value_json.view.usage.dataBytes if value_json.view and value_json.view.usage else None }}",
  },
  data_limit: {
    p: "sensor",
    name: "Data limit",
    topic: "sim",
    device_class: "data_size",
    unit_of_measurement: "B",
    entity_category: "diagnostic",
    value_template: "{{ value_json.view.usage.limitBytes if value_json.view and value_json.view.usage else None }}",
  },
  health: {
    p: "sensor",
    name: "Health",
    topic: "health",
    device_class: "enum",
    options: VERDICT_OPTIONS,
    value_template: "{{ value_json.verdict }}",
  },
  last_command: {
    p: "event",
    name: "Last Command",
    topic: "commands/received",
    event_types: COMMAND_EVENT_TYPES,
    value_template:
      "{{ {'event_type': value_json.kind, 'auth': value_json.auth, 'sender': value_json.sender, 'id': value_json.id} | tojson }}",
  },
  modem_reset: {
    p: "button",
    name: "Modem reset",
    command: "request/modem/reset",
    device_class: "restart",
    entity_category: "config",
    payload_press: JSON.stringify({ transaction: "homeassistant" }),
  },
};

/** The device discovery message. */
export function discoveryPayload(d: DiscoveryInput): Record<string, unknown> {
  const node = discoveryNodeId(d.gatewayId);
  const cmps: Record<string, Record<string, unknown>> = {};
  for (const [key, e] of Object.entries(ENTITIES)) {
    const { topic, command, ...rest } = e as { topic?: string; command?: string };
    cmps[key] = {
      ...rest,
      unique_id: `${node}_${key}`,
      ...(topic !== undefined ? { state_topic: `${d.prefix}/${topic}` } : {}),
      ...(command !== undefined ? { command_topic: `${d.prefix}/${command}` } : {}),
    };
  }
  const m = d.modem;
  return {
    dev: {
      ids: [node],
      name: `cellgate ${d.gatewayId}`,
      ...(m?.manufacturer ? { mf: m.manufacturer } : {}),
      ...(m?.model ? { mdl: m.model } : {}),
      ...(m?.revision ? { hw: m.revision } : {}),
      sw: d.version,
    },
    o: { name: "cellgate", sw: d.version },
    availability: [
      {
        topic: `${d.prefix}/status`,
        value_template: "{{ value_json.state }}",
        payload_available: "online",
        payload_not_available: "offline",
      },
    ],
    qos: 1,
    cmps,
  };
}
