import type * as PromClient from "prom-client";
import type { Counter, Gauge, Registry } from "prom-client";
import type { MqttLink, Outbox } from "../mqtt/index.js";
import type { GatewayState } from "./gateway-state.js";

/**
 * What the wiring counts as it happens (AT commands, recoveries, Commands, MO SMS, API
 * answers). The no-op sink is used when metrics are off, so nothing else changes with them.
 */
export interface MetricEvents {
  at(outcome: "answered" | "timeout"): void;
  recovery(step: string, result: "ok" | "failed"): void;
  command(result: string): void;
  mo(outcome: "sent" | "failed"): void;
  api(status: number | "error"): void;
}

type Prom = typeof PromClient;

export const NO_METRICS: MetricEvents = { at() {}, recovery() {}, command() {}, mo() {}, api() {} };

export interface MetricSources {
  state: GatewayState;
  link: MqttLink;
  outbox: Outbox;
  version: string;
  /** When this run started (Unix ms). */
  started: number;
}

/**
 * cellgate's Prometheus metrics, named as the modem exporters name theirs
 * (modemmanager_exporter: `…_signal_lte_rsrp_dbm`): base units in the suffix, `_total` on
 * counters, `_info` gauges for labels that change rarely. ICCID, operator and firmware live
 * only in `_info` series, never on every series. Gauges are read from the gateway's picture
 * at scrape time (no AT traffic); counters count events as the wiring reports them.
 */
export class Metrics implements MetricEvents {
  readonly registry: Registry;
  readonly #c: Record<"at" | "atTimeouts" | "recoveries" | "commands" | "moSent" | "moFailed" | "api", Counter>;

  private constructor(prom: Prom, s: MetricSources) {
    const registry = (this.registry = new prom.Registry());
    const counter = (name: string, help: string, labelNames: string[] = []) =>
      new prom.Counter({ name: `cellgate_${name}`, help, labelNames, registers: [registry] });
    this.#c = {
      at: counter("at_commands_total", "AT commands that got a final result code or timed out."),
      atTimeouts: counter("at_timeouts_total", "AT commands that got no final result code before their timeout."),
      recoveries: counter("modem_recoveries_total", "Recovery ladder steps run, by step and result.", ["step", "result"]),
      commands: counter(
        "commands_received_total",
        "SMS handed off, by authentication result (none: not addressed to cellgate).",
        ["result"],
      ),
      moSent: counter("sms_mo_sent_total", "Mobile-Originated SMS (Commands to 2936 / 000) sent."),
      moFailed: counter("sms_mo_failed_total", "Mobile-Originated SMS not sent after their retries."),
      api: counter("api_requests_total", "Wireless API requests by HTTP status (error: no answer).", ["status"]),
    };
    gauges(prom, registry, s);
  }

  /** prom-client is loaded only when metrics are configured: a gateway without them pays nothing. */
  static async create(s: MetricSources): Promise<Metrics> {
    return new Metrics(await import("prom-client"), s);
  }

  /** The text exposition format (what /metrics serves and the textfile holds). */
  render(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  at(outcome: "answered" | "timeout"): void {
    this.#c.at.inc();
    if (outcome === "timeout") this.#c.atTimeouts.inc();
  }

  recovery(step: string, result: "ok" | "failed"): void {
    this.#c.recoveries.inc({ step, result });
  }

  command(result: string): void {
    this.#c.commands.inc({ result });
  }

  mo(outcome: "sent" | "failed"): void {
    (outcome === "sent" ? this.#c.moSent : this.#c.moFailed).inc();
  }

  api(status: number | "error"): void {
    this.#c.api.inc({ status: String(status) });
  }
}

const bool = (b: boolean | null | undefined) => (b === null || b === undefined ? undefined : b ? 1 : 0);

/** The gauges read from the gateway's picture at scrape time; a value not known is left out. */
function gauges(prom: Prom, registry: Registry, s: MetricSources): void {
  const gauge: GaugeFn = (name, help, read, labelNames = []) => collected(prom.Gauge, registry, name, help, read, labelNames);
  const set = (g: Gauge, v: number | null | undefined, labels: Record<string, string> = {}) => {
    if (v !== null && v !== undefined) g.set(labels, v);
  };
  const view = () => s.state.view();
  gauge(
    "build_info",
    "cellgate's version and the Node.js it runs on.",
    (g) => g.set({ version: s.version, nodejs: process.version }, 1),
    ["version", "nodejs"],
  );
  gauge("start_time_seconds", "When this run of cellgate started (Unix time).", (g) => g.set(s.started / 1000));
  gauge("modem_up", "1 when the modem answers AT commands.", (g) => g.set(view().modem.answering ? 1 : 0));
  gauge(
    "modem_info",
    "The modem's identity.",
    (g) => {
      const id = s.state.snapshot?.identity;
      if (id) g.set({ manufacturer: id.manufacturer ?? "", model: id.model ?? "", firmware: id.revision ?? "" }, 1);
    },
    ["manufacturer", "model", "firmware"],
  );
  for (const [name, key, unit] of [
    ["rssi", "rssiDbm", "dbm"],
    ["rsrp", "rsrpDbm", "dbm"],
    ["rsrq", "rsrqDb", "db"],
    ["sinr", "sinrDb", "db"],
  ] as const)
    gauge(`modem_signal_${name}_${unit}`, `The serving cell's ${name.toUpperCase()} in ${unit === "dbm" ? "dBm" : "dB"}.`, (g) =>
      set(g, view().signal?.[key]),
    );
  networkGauges(gauge, set, view);
  localGauges(prom, registry, gauge, set, s);
}

/** The carrier's view, the health verdict and the gateway's own MQTT side. */
function localGauges(prom: Prom, registry: Registry, gauge: GaugeFn, set: SetFn, s: MetricSources): void {
  const view = () => s.state.view();
  gauge(
    "sim_info",
    "The SIM as the carrier's account sees it (the only series with the ICCID).",
    (g) => {
      const v = view();
      if (v.iccid !== null || v.carrier)
        g.set({ iccid: v.iccid ?? "", status: v.carrier?.status ?? "", rate_plan: v.carrier?.plan ?? "" }, 1);
    },
    ["iccid", "status", "rate_plan"],
  );
  gauge("sim_data_used_bytes", "Data used this month, as the carrier counts it.", (g) => set(g, view().carrier?.usedBytes));
  gauge("sim_data_limit_bytes", "The rate plan's monthly data limit.", (g) => set(g, view().carrier?.limitBytes));
  gauge(
    "health_verdict",
    "The health verdict, one series per value (1 for the current one).",
    (g) => {
      const v = view().verdict;
      for (const verdict of ["ok", "degraded", "down", "unknown"]) g.set({ verdict }, verdict === v ? 1 : 0);
    },
    ["verdict"],
  );
  gauge("mqtt_connected", "1 while the local broker is connected.", (g) => g.set(s.link.state.connected ? 1 : 0));
  gauge("mqtt_outbox_messages", "QoS 1 messages waiting in the durable outbox.", (g) => g.set(s.outbox.size));
  collected(prom.Counter, registry, "mqtt_reconnects_total", "Connections to the local broker lost.", (c) =>
    c.inc(s.link.state.reconnects),
  );
  collected(
    prom.Counter,
    registry,
    "mqtt_outbox_dropped_total",
    "Outbox messages dropped, by the cap that dropped them.",
    (c) => {
      const d = s.outbox.stats().dropped;
      c.inc({ reason: "max_messages" }, d.count);
      c.inc({ reason: "max_bytes" }, d.bytes);
      c.inc({ reason: "max_age" }, d.age);
    },
    ["reason"],
  );
}

type GaugeFn = (name: string, help: string, read: (g: Gauge) => void, labelNames?: string[]) => Gauge;
type SetFn = (g: Gauge, v: number | null | undefined, labels?: Record<string, string>) => void;

function networkGauges(gauge: GaugeFn, set: SetFn, view: () => ReturnType<GatewayState["view"]>): void {
  gauge("network_registered", "1 when registered (home or roaming).", (g) => {
    const r = view().registration;
    if (r) g.set(r.state === "home" || r.state === "roaming" ? 1 : 0);
  });
  gauge("network_roaming", "1 when registered on a visited network.", (g) => set(g, bool(view().registration?.roaming)));
  gauge("network_attached", "1 when attached to the packet domain (+CGATT).", (g) => set(g, bool(view().attached)));
  gauge("network_data_path_up", "1 when attached with an address from the network (the data path is up).", (g) => {
    const v = view();
    if (v.attached !== null) g.set(v.attached && v.ip !== null ? 1 : 0);
  });
  gauge(
    "network_info",
    "The network the modem is on.",
    (g) => {
      const v = view();
      if (v.operator || v.accessTech)
        g.set(
          {
            operator: v.operator?.name ?? "",
            mcc: v.operator?.mcc ?? "",
            mnc: v.operator?.mnc ?? "",
            access_technology: v.accessTech ?? "",
          },
          1,
        );
    },
    ["operator", "mcc", "mnc", "access_technology"],
  );
}

/**
 * A metric read at scrape time: a gauge from the gateway's picture, or a counter whose value
 * another part keeps (the link's reconnects, the outbox's drops).
 */
function collected<M extends Gauge | Counter>(
  Make: new (c: { name: string; help: string; labelNames: string[]; registers: Registry[]; collect(this: M): void }) => M,
  registry: Registry,
  name: string,
  help: string,
  read: (m: M) => void,
  labelNames: string[] = [],
): M {
  return new Make({
    name: `cellgate_${name}`,
    help,
    labelNames,
    registers: [registry],
    collect() {
      this.reset();
      read(this);
    },
  });
}
