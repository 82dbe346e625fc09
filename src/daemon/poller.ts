import { statfs } from "node:fs/promises";
import type { SimLookup } from "../api/index.js";
import type { Config } from "../config/index.js";
import { describeError, stateWrites, type Clock, type Logger } from "../core/index.js";
import { assess, DEFAULT_APN, type CarrierInput, type HealthReport, type ModemView, type StateInput } from "../health/index.js";
import {
  currentRat,
  mainRegistration,
  networkView,
  type ModemSnapshot,
  type Registration,
  type SignalQuality,
} from "../modem/index.js";
import { healthKey, modemPayload, networkPayload, SignalDeadband, simKey, type MqttLink, type Outbox } from "../mqtt/index.js";
import type { LinkStatus } from "../link/index.js";
import type { Notifier, TimeKeeper } from "../runtime/index.js";
import type { ModemStack } from "./modem-stack.js";
import type { GatewayState } from "./gateway-state.js";
import { summary } from "./systemd-status.js";
import { dataPathWord } from "./link-wiring.js";

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
  /** Where the picture lives: the poller writes it, everything else reads it. */
  state: GatewayState;
  /** The data-path watchdog's view, for the data-path check. */
  linkStatus: () => LinkStatus | undefined;
}

/**
 * One poll: read the modem, refresh the carrier's view when it is due, assess health from
 * both plus the local side, publish the retained snapshots that changed, update STATUS=.
 * Polls never overlap; a caller during one shares its result.
 */
export class Poller {
  /** The state directory as the last poll found it (a URC between polls reuses it). */
  #state: StateInput | undefined;
  #carrierStatus: string | null | undefined;
  #apiError: string | undefined;
  #running: Promise<HealthReport> | undefined;
  readonly #deadband: SignalDeadband;

  constructor(readonly d: PollerDeps) {
    this.#apiError = d.apiError;
    this.#deadband = new SignalDeadband(() => d.config().mqtt.deadband.signalDb);
  }

  get report(): HealthReport | undefined {
    return this.d.state.report;
  }

  get snapshot(): ModemSnapshot | undefined {
    return this.d.state.snapshot;
  }

  /** Resolves when no poll is running (for an orderly stop). */
  async idle(): Promise<void> {
    await this.#running?.catch(() => {});
  }

  poll(): Promise<HealthReport> {
    this.#running ??= this.#once().finally(() => (this.#running = undefined));
    return this.#running;
  }

  /**
   * The health report without asking the modem when its last read is at most `maxAgeMs` old:
   * the kept snapshot (URCs keep registration and signal current between polls) assessed again
   * with the carrier's, the MQTT link's and the data path's state as they are now. Else a poll.
   */
  async current(maxAgeMs: number): Promise<{ report: HealthReport; polled: boolean }> {
    const s = this.d.state.snapshot;
    const ready = this.d.stack.supervisor.state.kind === "ready";
    if (this.#running === undefined && ready && s !== undefined && this.d.clock.now() - Date.parse(s.at) <= maxAgeMs)
      return { report: this.#publish({ snapshot: s }), polled: false };
    return { report: await this.poll(), polled: true };
  }

  /**
   * A registration URC: the picture changes now, not at the next poll. The operator is read
   * again (a new registration may be on another network); nothing else is asked.
   */
  onRegistration(reg: Registration): void {
    // A poll in flight may have read the registration before this URC: applied once it is over, not dropped.
    if (this.#running !== undefined)
      return void this.#running.then(
        () => this.onRegistration(reg),
        () => {},
      );
    const s = this.d.state.snapshot;
    if (s === undefined) return;
    const was = s.registration[reg.domain];
    // A URC at <n>=1 carries no location: the cell is the one known while still registered there.
    const keep = was?.registered && reg.registered && reg.tac === undefined && reg.lac === undefined ? was : {};
    s.registration = { ...s.registration, [reg.domain]: { ...keep, ...reg } };
    const rat = currentRat({ cell: s.servingCell ?? null, registration: mainRegistration(s), identity: s.identity });
    if (rat !== undefined) s.rat = rat;
    this.#publish({ snapshot: s });
    void this.d.stack.modem
      .operator()
      .then((op) => {
        if (this.d.state.snapshot !== s) return;
        s.operator = op;
        this.#publish({ snapshot: s });
      })
      .catch((err: unknown) => this.d.log.debug({ err: describeError(err) }, "operator not read after a registration URC"));
  }

  /** A signal URC (+QIND "csq", AUTOCSQ +CSQ, %CESQ): the values it carries replace the polled ones. */
  onSignal(q: Partial<SignalQuality>): void {
    if (this.#running !== undefined)
      return void this.#running.then(
        () => this.onSignal(q),
        () => {},
      );
    const s = this.d.state.snapshot;
    if (s?.signal === undefined) return;
    s.signal = { ...s.signal, ...q };
    this.#publish({ snapshot: s });
  }

  async #once(): Promise<HealthReport> {
    const { stack, time, clock } = this.d;
    const st = stack.supervisor.state;
    let view: ModemView;
    if (st.kind === "ready") {
      const snapshot = await stack.modem.snapshot();
      this.d.state.setSnapshot(snapshot);
      view = { snapshot };
      if (snapshot.networkTime) time.setNetworkTime(snapshot.networkTime.iso, clock.now());
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
    this.#state = await stateInput(this.d.config().state.dir);
    return this.#publish(view);
  }

  /** Health from the modem's view, the carrier's (as last fetched) and the local side; the retained snapshots that changed. */
  #publish(view: ModemView): HealthReport {
    const { stack, link, outbox, time, clock } = this.d;
    const cfg = this.d.config();
    const st = stack.supervisor.state;
    const carrier = this.#carrier();
    const ls = link.state;
    const product = cfg.sim.product;
    const linkStatus = this.d.linkStatus();
    const report = assess({
      modem: view,
      now: clock.now(),
      product,
      apn: cfg.sim.apn ?? DEFAULT_APN[product],
      carrier,
      mqtt: { connected: ls.connected, forMs: clock.now() - ls.since, outbox: outbox.stats() },
      ...(this.#state ? { state: this.#state } : {}),
      clock: { sync: time.sync().state, via: time.sync().via, quality: time.quality() },
      ...(linkStatus ? { link: linkStatus } : {}),
    });
    this.d.state.setReport(report);
    // `at` on the clock of the payload's `ts` (one clock per payload); the report keeps the system clock's.
    // Change-only: the health verdict and checks' statuses, the signal through its deadband (significance.ts).
    link.publishRetained("health", { ...report, at: time.stamp(Date.parse(report.at)).ts }, healthKey(report));
    link.publishRetained("modem", modemPayload(this.d.state.snapshot, st.kind === "ready" ? st.path : null));
    if ("snapshot" in view) {
      const n = networkPayload(networkView(view.snapshot));
      link.publishRetained("network", n, this.#deadband.key(n));
    }
    if (carrier !== "disabled") this.#publishSim(carrier);
    this.d.notifier.status(summary(report, this.d.state.snapshot, link, dataPathWord(linkStatus)));
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
    try {
      // Not every poll after a failure: the lookup backs off by the error's kind.
      if (await lookup.refreshIfDue(this.d.config().api.refreshS * 1000)) this.#apiError = undefined;
    } catch (err) {
      this.#apiError = describeError(err);
      this.d.log.warn({ err: this.#apiError }, "carrier view not refreshed");
    }
  }

  #publishSim(carrier: Exclude<CarrierInput, "disabled">): void {
    const c = this.d.lookup?.peek();
    const payload =
      "view" in carrier
        ? { view: carrier.view, fetchedAt: c ? this.d.time.stamp(c.fetchedAt).ts : null }
        : { view: null, fetchedAt: null, error: carrier.error };
    this.d.link.publishRetained("sim", payload, simKey(payload, this.d.config().mqtt.deadband.usageBytes));
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

/** The state directory's free space and whether the last durable write to it worked. */
async function stateInput(dir: string): Promise<StateInput> {
  const fs = await statfs(dir).catch(() => undefined);
  const f = stateWrites.failure;
  return { dir, freeBytes: fs ? fs.bavail * fs.bsize : null, failure: f && { path: f.path, error: f.error } };
}
