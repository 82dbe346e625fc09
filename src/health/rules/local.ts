import type { Rule } from "../types.js";

/** The local broker link and the durable outbox behind it. */
export const mqttRule: Rule = ({ mqtt }) => {
  if (mqtt === undefined) return null;
  const o = mqtt.outbox;
  const drops = o.dropped.count + o.dropped.bytes + o.dropped.age;
  const backlog = o.depth > 0 ? `, ${o.depth} queued${o.oldestAgeS !== null ? ` (oldest ${o.oldestAgeS} s)` : ""}` : "";
  const dropped =
    drops > 0 ? `, ${drops} dropped (cap: ${o.dropped.count} by count, ${o.dropped.bytes} by size, ${o.dropped.age} by age)` : "";
  if (!mqtt.connected)
    return {
      id: "mqtt",
      status: "fail",
      detail: `local broker unreachable for ${Math.round(mqtt.forMs / 1000)} s${backlog}${dropped}`,
      hint: "start or fix the local broker (systemctl status mosquitto); messages wait in the outbox meanwhile",
    };
  if (drops > 0)
    return {
      id: "mqtt",
      status: "warn",
      detail: `connected${backlog}${dropped}`,
      hint: "the outbox overflowed during an outage: raise mqtt.outbox caps if the outage length is normal here",
    };
  return { id: "mqtt", status: "pass", detail: `connected${backlog}` };
};

/** The time in payloads can be trusted. */
export const clockRule: Rule = ({ clock }) => {
  if (clock === undefined) return null;
  if (clock === "synced") return { id: "clock", status: "pass", detail: "system clock synchronised (NTP)" };
  if (clock === "network")
    return {
      id: "clock",
      status: "warn",
      detail: "system clock not synchronised; times come from the modem's network time",
      hint: "enable NTP (systemd-timesyncd) once the data link is up; TLS fails on a wrong clock",
    };
  return {
    id: "clock",
    status: "warn",
    detail: "system clock not synchronised and no network time from the modem",
    hint: "timestamps may be wrong (a Pi has no RTC): enable NTP, and make sure the modem reports network time (AT+CTZU=1)",
  };
};
