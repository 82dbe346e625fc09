import type { Clock } from "../core/index.js";
import type { HealthReport } from "../health/index.js";
import { networkView, type ModemSnapshot, type PortSupervisor } from "../modem/index.js";
import type { MqttLink } from "../mqtt/index.js";

// What systemd sees of cellgate: whether the watchdog is fed, and the one-line STATUS=.

/** The watchdog is fed only while the AT engine answers, or while the modem is known absent and being looked for. */
export function alive(s: PortSupervisor, clock: Clock, wdMs: number): boolean {
  if (s.state.kind === "waiting") return true;
  const last = s.engine?.lastAnswerAt;
  return last !== undefined && clock.now() - last < wdMs;
}

/** The one-line STATUS= for `systemctl status`. */
export function summary(r: HealthReport | undefined, s: ModemSnapshot | undefined, link: MqttLink, data?: string | null): string {
  const n = s ? networkView(s) : undefined;
  const parts = [`health=${r?.verdict ?? "starting"}`];
  if (n?.registration) parts.push(`reg=${n.registration.state}`, `rat=${n.accessTech ?? "?"}`);
  if (n?.signal?.rsrpDbm != null) parts.push(`rsrp=${n.signal.rsrpDbm}`);
  else if (n?.signal?.rssiDbm != null) parts.push(`rssi=${n.signal.rssiDbm}`);
  if (data) parts.push(`data=${data}`);
  parts.push(`mqtt=${link.state.connected ? "up" : "down"}`);
  return parts.join(" ");
}
