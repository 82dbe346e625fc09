import type { Config } from "../config/index.js";
import { describeError, type Clock, type Logger } from "../core/index.js";
import { requestListener, type MqttLink, type Outbox, type RequestHandlers } from "../mqtt/index.js";
import { CONTROL_PROTOCOL, type ControlHandlers } from "../runtime/index.js";
import type { GatewayState } from "./gateway-state.js";
import { startHomeAssistant } from "./homeassistant.js";
import { exportMetrics } from "./metrics-export.js";
import { Metrics, NO_METRICS, type MetricEvents } from "./metrics.js";
import type { ModemStack } from "./modem-stack.js";
import type { Poller } from "./poller.js";
import type { SmsAdmin } from "./sms-admin.js";

/** A sink bound once the metrics exist (the wiring that counts is built before them). */
export function lateMetrics(): MetricEvents & { bind(m: MetricEvents): void } {
  let m = NO_METRICS;
  return {
    bind: (x) => void (m = x),
    at: (o) => m.at(o),
    recovery: (s, r) => m.recovery(s, r),
    command: (r) => m.command(r),
    mo: (o) => m.mo(o),
    api: (s) => m.api(s),
  };
}

export interface IntegrationDeps {
  cfg: Config;
  prefix: string;
  gatewayId: string;
  version: string;
  started: number;
  link: MqttLink;
  outbox: Outbox;
  state: GatewayState;
  poller: Poller;
  stack: ModemStack;
  control: ControlHandlers;
  sms: SmsAdmin;
  meter: ReturnType<typeof lateMetrics>;
  clock: Clock;
  log: Logger;
}

/**
 * Where users already are: local request/response on MQTT, Prometheus (endpoint and textfile),
 * Home Assistant discovery. Each is optional; returns what stops them.
 */
export async function startIntegrations(d: IntegrationDeps): Promise<() => Promise<void>> {
  const stops: Array<() => Promise<void>> = [];
  const { cfg, link, log } = d;
  if (cfg.mqtt.requests.enabled)
    link.subscribe(
      `${d.prefix}/request/#`,
      requestListener({
        prefix: d.prefix,
        handlers: requestHandlers(d),
        publish: (topic, payload, correlationData) =>
          link.publishRaw(topic, payload, { retain: false, ...(correlationData ? { correlationData } : {}) }),
        log,
      }),
    );
  if (cfg.metrics.listen !== undefined || cfg.metrics.textfile !== undefined) {
    try {
      const m = await Metrics.create({ state: d.state, link, outbox: d.outbox, version: d.version, started: d.started });
      d.meter.bind(m);
      const exp = await exportMetrics(m, {
        ...(cfg.metrics.listen !== undefined ? { listen: cfg.metrics.listen } : {}),
        ...(cfg.metrics.textfile !== undefined ? { textfile: cfg.metrics.textfile } : {}),
        textfileMs: cfg.metrics.textfileS * 1000,
        clock: d.clock,
        log,
      });
      stops.push(() => exp.close());
    } catch (err) {
      // Metrics are a window on the gateway, not its job: a taken port must not stop Commands.
      log.error({ err: describeError(err) }, "metrics not exported");
    }
  }
  stops.push(startHomeAssistant({ ...d, ha: cfg.homeassistant, pollMs: () => cfg.modem.pollS * 1000 }));
  return async () => {
    for (const s of stops.reverse()) await s().catch(() => {});
  };
}

/** The MQTT requests: the control socket's methods where there is one, the ladder's reset, a SIM refresh. */
function requestHandlers(d: IntegrationDeps): RequestHandlers {
  const { control, sms } = d;
  const noParams = CONTROL_PROTOCOL.sim.params;
  return {
    status: { params: CONTROL_PROTOCOL.status.params, run: control.status },
    health: { params: noParams, run: () => d.poller.poll() },
    at: d.cfg.mqtt.requests.at ? { params: CONTROL_PROTOCOL.at.params, run: control.at } : { off: "mqtt.requests.at: false" },
    "sms/list": { params: CONTROL_PROTOCOL["sms/list"].params, run: sms.list },
    "sms/read": { params: CONTROL_PROTOCOL["sms/read"].params, run: sms.read },
    "sms/delete": { params: CONTROL_PROTOCOL["sms/delete"].params, run: sms.delete },
    "modem/reset": { params: noParams, run: () => d.stack.supervisor.resetModem("requested on MQTT (request/modem/reset)") },
    "sim/refresh": {
      params: noParams,
      run: async () => {
        const r = await control.sim({});
        void d.poller.poll().catch(() => {}); // the sim snapshot follows the fresh view
        return r;
      },
    },
  };
}
