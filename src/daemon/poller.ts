import type { SimLookup } from "../api/index.js";
import type { Config } from "../config/index.js";
import { describeError, type Clock, type Logger } from "../core/index.js";
import { assess, DEFAULT_APN, type CarrierInput, type HealthReport, type ModemView } from "../health/index.js";
import type { ModemSnapshot } from "../modem/index.js";
import { modemPayload, networkPayload, type MqttLink, type Outbox } from "../mqtt/index.js";
import type { Notifier, TimeKeeper } from "../runtime/index.js";
import type { ModemStack } from "./modem-stack.js";
import { summary } from "./support.js";

export interface PollerDeps {
  config: () => Config;
  stack: ModemStack;
  link: MqttLink;
  outbox: Outbox;
  /** Absent when the API is disabled or not configured (apiError says why). */
  lookup: SimLookup | undefined;
  apiError: string | undefined;
  time: TimeKeeper;
  notifier: Notifier;
  clock: Clock;
  log: Logger;
  event: (type: string, detail: string, extra?: Record<string, unknown>) => void;
}

/**
 * One poll: read the modem, refresh the carrier's view when it is due, assess health from
 * both plus the local side, publish the retained snapshots that changed, update STATUS=.
 * Polls never overlap; a caller during one shares its result.
 */
export class Poller {
  #report: HealthReport | undefined;
  #snapshot: ModemSnapshot | undefined;
  #carrierStatus: string | null | undefined;
  #apiError: string | undefined;
  #running: Promise<HealthReport> | undefined;

  constructor(readonly d: PollerDeps) {
    this.#apiError = d.apiError;
  }

  get report(): HealthReport | undefined {
    return this.#report;
  }

  get snapshot(): ModemSnapshot | undefined {
    return this.#snapshot;
  }

  /** Resolves when no poll is running (for an orderly stop). */
  async idle(): Promise<void> {
    await this.#running?.catch(() => {});
  }

  poll(): Promise<HealthReport> {
    this.#running ??= this.#once().finally(() => (this.#running = undefined));
    return this.#running;
  }

  async #once(): Promise<HealthReport> {
    const { stack, link, outbox, time, clock } = this.d;
    const cfg = this.d.config();
    const st = stack.supervisor.state;
    let view: ModemView;
    if (st.kind === "ready") {
      this.#snapshot = await stack.modem.snapshot();
      view = { snapshot: this.#snapshot };
      if (this.#snapshot.networkTime) time.setNetworkTime(this.#snapshot.networkTime.iso, clock.now());
    } else {
      view = {
        error: {
          code: "CG_ERR_LINK_OPEN",
          message: `modem port not ready (${st.kind}${"reason" in st ? `: ${st.reason}` : ""})`,
        },
      };
    }
    await this.#refreshCarrier();
    await time.refreshSync();
    const carrier = this.#carrier();
    const ls = link.state;
    const product = cfg.sim.product;
    const report = assess({
      modem: view,
      now: clock.now(),
      product,
      apn: cfg.sim.apn ?? DEFAULT_APN[product],
      carrier,
      mqtt: { connected: ls.connected, forMs: clock.now() - ls.since, outbox: outbox.stats() },
      clock: { sync: time.sync().state, via: time.sync().via, quality: time.quality() },
    });
    this.#report = report;
    // `at` on the clock of the payload's `ts` (one clock per payload); the report keeps the system clock's.
    link.publishRetained("health", { ...report, at: time.stamp(Date.parse(report.at)).ts });
    link.publishRetained("modem", modemPayload(this.#snapshot, st.kind === "ready" ? st.path : null));
    if ("snapshot" in view) link.publishRetained("network", networkPayload(view.snapshot));
    if (carrier !== "disabled") this.#publishSim(carrier);
    this.d.notifier.status(summary(report, this.#snapshot, link));
    return report;
  }

  #carrier(): CarrierInput {
    if (this.d.config().api.provider === "none") return "disabled";
    const c = this.d.lookup?.peek();
    return c
      ? { view: c.view, ageMs: c.ageMs }
      : { error: this.#apiError ?? "not looked up yet (the modem's ICCID is not known)" };
  }

  async #refreshCarrier(): Promise<void> {
    const { lookup, stack } = this.d;
    if (lookup === undefined || stack.modem.identity?.iccid == null) return;
    const cached = lookup.peek();
    if (cached && cached.ageMs < this.d.config().api.refreshS * 1000) return;
    try {
      await lookup.refresh();
      this.#apiError = undefined;
    } catch (err) {
      this.#apiError = describeError(err);
      this.d.log.warn({ err: this.#apiError }, "carrier view not refreshed");
    }
  }

  #publishSim(carrier: Exclude<CarrierInput, "disabled">): void {
    const c = this.d.lookup?.peek();
    this.d.link.publishRetained(
      "sim",
      "view" in carrier
        ? { view: carrier.view, fetchedAt: c ? this.d.time.stamp(c.fetchedAt).ts : null }
        : { view: null, fetchedAt: null, error: carrier.error },
    );
    const status = "view" in carrier ? carrier.view.sim.status : undefined;
    if (status === undefined) return;
    if (this.#carrierStatus !== undefined && status !== this.#carrierStatus)
      this.d.event("sim-status", `the account's SIM status changed from ${this.#carrierStatus} to ${status}`, {
        from: this.#carrierStatus,
        to: status,
      });
    this.#carrierStatus = status;
  }
}
