import type { MqttLink } from "../mqtt/index.js";
import type { MoCommand, MoResult } from "../sms/index.js";
import type { BackOnline } from "./back-online.js";
import type { MetricEvents } from "./metrics.js";
import type { ModemStack } from "./modem-stack.js";

/** Modem events become MQTT `events`; `commands/send` becomes an MO Command through the modem. */
export function wireEvents(
  stack: ModemStack,
  link: MqttLink,
  event: (type: string, detail: string, extra?: Record<string, unknown>) => void,
  o: { backOnline: BackOnline; sendMo: (cmd: MoCommand) => Promise<MoResult>; meter: MetricEvents },
): void {
  let lost = false;
  stack.supervisor.events.on("at", (a) => o.meter.at(a.outcome));
  stack.supervisor.events.on("recovery", (r) => {
    if ("phase" in r && r.phase !== "start") o.meter.recovery(r.step, r.phase);
    event(
      "recovery",
      "phase" in r ? `modem recovery: ${r.step} ${r.phase}` : `modem recovery gave up until ${new Date(r.until).toISOString()}`,
      { ...r },
    );
    if ("phase" in r && r.phase === "ok" && r.step !== "resync")
      o.backOnline.afterRecovery(`after a modem ${r.step}${r.detail ? ` (${r.detail})` : ""}`);
  });
  stack.supervisor.events.on("portLost", (p) => {
    lost = true;
    event("modem-lost", `modem port ${p.path} lost: ${p.reason}`, p);
  });
  stack.supervisor.events.on("portOpened", (p) => {
    event("modem-found", `modem port ${p.path} open`, p);
    if (lost) o.backOnline.afterRecovery(`after the modem port came back (${p.path})`);
    lost = false;
  });
  link.onCommandSend(async (req) => {
    const r = await o.sendMo(req.text !== undefined ? { text: req.text } : { data: Buffer.from(req.data ?? "", "base64") });
    return { mr: r.mr, to: r.to, mode: req.text !== undefined ? "text" : "binary" };
  });
}
