import { uptime } from "node:os";
import type { SimLookup } from "../api/index.js";
import type { GatewayView } from "../commands/index.js";
import type { Config } from "../config/index.js";
import type { Clock } from "../core/index.js";
import { failing, type HealthReport } from "../health/index.js";
import type { LinkStatus } from "../link/index.js";
import { networkView, type ModemSnapshot, type PortSupervisor } from "../modem/index.js";
import type { MqttLink, Outbox } from "../mqtt/index.js";
import type { TimeKeeper } from "../runtime/index.js";
import { dataPathWord } from "./link-wiring.js";

export interface GatewayStateDeps {
  config: () => Config;
  supervisor: PortSupervisor;
  link: MqttLink;
  outbox: Outbox;
  lookup: SimLookup | undefined;
  apiError: () => string | undefined;
  time: TimeKeeper;
  clock: Clock;
  version: string;
  /** When this run started (clock ms). */
  started: number;
  /** The data-path watchdog's view (bound once it is built). */
  linkStatus: () => LinkStatus | undefined;
}

/**
 * The one picture of the gateway: the modem's snapshot and the health report as the poller last
 * made them (URCs update them between polls), joined with the carrier's view and the MQTT link.
 * The Command replies, the control socket, telemetry and systemd's STATUS= all read it. Reading
 * asks the modem nothing; the poller's `poll()` is the explicit refresh.
 */
export class GatewayState {
  #report: HealthReport | undefined;
  #snapshot: ModemSnapshot | undefined;

  constructor(private readonly d: GatewayStateDeps) {}

  get report(): HealthReport | undefined {
    return this.#report;
  }

  get snapshot(): ModemSnapshot | undefined {
    return this.#snapshot;
  }

  /** A new read of the modem (a poll), or the same snapshot changed by a URC. */
  setSnapshot(s: ModemSnapshot): void {
    this.#snapshot = s;
  }

  setReport(r: HealthReport): void {
    this.#report = r;
  }

  /** The picture as the verbs see it (no AT traffic). */
  view(): GatewayView {
    const { d } = this;
    const snap = this.#snapshot;
    const n = snap ? networkView(snap) : undefined;
    const port = d.supervisor.state;
    return {
      verdict: this.#report?.verdict ?? "unknown",
      failing: this.#report ? failing(this.#report) : [],
      modem: {
        answering: snap?.answering ?? false,
        model: snap?.identity?.model ?? null,
        revision: snap?.identity?.revision ?? null,
        port: port.kind === "ready" ? port.path : null,
      },
      registration: n?.registration ? { state: n.registration.state, roaming: n.registration.roaming } : null,
      operator: n?.operator ?? null,
      accessTech: n?.accessTech ?? null,
      cell: n?.cell ? { ...n.cell, band: snap?.servingCell?.band ?? null, pci: snap?.servingCell?.pci ?? null } : null,
      signal: n?.signal ? { ...n.signal, ber: snap?.signal?.ber ?? null } : null,
      attached: n?.attached ?? null,
      apn: n?.apn ?? null,
      ip: n?.ip ?? null,
      dataPath: dataPathWord(d.linkStatus()),
      iccid: snap?.identity?.iccid ?? null,
      carrier: this.#carrier(),
      carrierError: d.config().api.provider === "none" ? "api off" : (d.apiError() ?? null),
      mqtt: this.#mqtt(),
      uptimeS: Math.round((d.clock.now() - d.started) / 1000),
      hostUptimeS: Math.round(uptime()),
      version: d.version,
      clock: d.time.quality(),
    };
  }

  #carrier(): GatewayView["carrier"] {
    const c = this.d.lookup?.peek();
    if (!c) return null;
    return {
      status: c.view.sim.status,
      plan: c.view.plan?.name ?? null,
      dataEnabled: c.view.plan?.dataEnabled ?? null,
      usedBytes: c.view.usage?.dataBytes ?? null,
      limitBytes: c.view.usage?.limitBytes ?? null,
      ageS: Math.round(c.ageMs / 1000),
    };
  }

  #mqtt(): GatewayView["mqtt"] {
    const ls = this.d.link.state;
    const o = this.d.outbox.stats();
    return {
      connected: ls.connected,
      forS: Math.round((this.d.clock.now() - ls.since) / 1000),
      outboxDepth: o.depth,
      dropped: o.dropped.count + o.dropped.bytes + o.dropped.age,
      reconnects: ls.reconnects,
    };
  }
}
