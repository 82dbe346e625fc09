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

/**
 * The time in payloads can be trusted: the kernel says its clock is synchronised (whichever NTP
 * client did it). "Cannot tell" is not "unsynchronised": it is `unknown`, which leaves the verdict alone.
 */
export const clockRule: Rule = ({ clock }) => {
  if (clock === undefined) return null;
  const source =
    clock.quality === "network" ? "times come from the modem's network time" : "and no network time from the modem either";
  if (clock.sync === "synced") return { id: "clock", status: "pass", detail: `system clock synchronised (${clock.via})` };
  if (clock.sync === "unknown")
    return {
      id: "clock",
      status: "unknown",
      detail:
        `cannot tell whether the system clock is synchronised: ${clock.via}; ` +
        `${clock.quality === "network" ? source : "times are the system clock's"}`,
      hint: "timedatectl (systemd-timedated) tells cellgate the kernel's NTP state; check it with: timedatectl show -p NTPSynchronized",
    };
  return {
    id: "clock",
    status: "warn",
    detail: `system clock not synchronised (${clock.via}); ${source}`,
    hint:
      clock.quality === "network"
        ? "start an NTP client (systemd-timesyncd, chrony or ntpd) once the data link is up; TLS fails on a wrong clock"
        : "timestamps may be wrong (a Pi has no RTC): start an NTP client, and make sure the modem reports network time (AT+CTZU=1)",
  };
};
