import type { Config } from "../config/index.js";
import { describeError, Timers, type Clock, type Logger } from "../core/index.js";
import { discoveryPayload, discoveryTopic, type MqttLink } from "../mqtt/index.js";
import type { GatewayState } from "./gateway-state.js";

export interface HomeAssistantDeps {
  ha: Config["homeassistant"];
  prefix: string;
  gatewayId: string;
  version: string;
  link: MqttLink;
  state: GatewayState;
  clock: Clock;
  log: Logger;
  /** How often the device block is compared with the modem's identity (the poll interval). */
  pollMs: () => number;
  /** The longest random wait before answering Home Assistant's `online` (tests shorten it). */
  birthDelayMs?: number;
}

/**
 * Home Assistant discovery on the local broker: the device message (retained) on every connect,
 * when the modem's identity becomes known or changes, and again after Home Assistant announces
 * `online` on `<prefix>/status` — after a random wait, so a house full of devices does not answer
 * at once. Disabled, it clears the retained message (an empty one), so the device goes away.
 * The shipped bridge configuration never forwards the discovery prefix.
 */
export function startHomeAssistant(d: HomeAssistantDeps): () => Promise<void> {
  const topic = discoveryTopic(d.ha.prefix, d.gatewayId);
  if (!d.ha.enabled) {
    const off = d.link.events.on("connected", () => {
      void d.link.publishRaw(topic, "", { retain: true }).then((ok) => ok && off());
    });
    if (d.link.state.connected) void d.link.publishRaw(topic, "", { retain: true }).then((ok) => ok && off());
    return () => Promise.resolve(off());
  }
  let sent: string | undefined;
  const publish = async (force: boolean) => {
    const id = d.state.snapshot?.identity;
    const m = id
      ? { manufacturer: id.manufacturer ?? null, model: id.model ?? null, revision: id.revision ?? null, imei: id.imei ?? null }
      : null;
    const json = JSON.stringify(discoveryPayload({ prefix: d.prefix, gatewayId: d.gatewayId, version: d.version, modem: m }));
    if (!force && json === sent) return;
    if (await d.link.publishRaw(topic, json, { retain: true })) sent = json;
  };
  const fail = (err: unknown) => d.log.warn({ err: describeError(err) }, "Home Assistant discovery not published");
  const off = d.link.events.on("connected", () => void publish(true).catch(fail));
  if (d.link.state.connected) void publish(true).catch(fail);
  const pending = new Set<ReturnType<Clock["setTimeout"]>>();
  d.link.subscribe(`${d.ha.prefix}/status`, (m) => {
    if (m.payload.toString("utf8").trim() !== "online") return;
    const t = d.clock.setTimeout(
      () => {
        pending.delete(t);
        void publish(true).catch(fail);
      },
      Math.round(Math.random() * (d.birthDelayMs ?? 5000)),
    );
    pending.add(t);
  });
  // The device block names the modem: published again once it is known, and when it changes.
  const timers = new Timers(d.clock, fail);
  timers.every(
    () => d.pollMs(),
    () => publish(false),
  );
  return () => {
    off();
    timers.stop();
    for (const t of pending) d.clock.clearTimeout(t);
    return Promise.resolve();
  };
}
