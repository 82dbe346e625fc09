import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { createApiClient, credentialsFromEnv, SimLookup, type ApiClient } from "./api/index.js";
import { readSecret, type Config, type Loaded, changedKeys } from "./config/index.js";
import {
  CellgateError,
  describeError,
  removeOrphanTmpFiles,
  systemClock,
  writeFileDurable,
  type Clock,
  type Logger,
  Timers,
  within,
} from "./core/index.js";
import type { HealthReport } from "./health/index.js";
import { MqttLink, Outbox, SendLedger, telemetryPayload } from "./mqtt/index.js";
import { ClockSync, ControlServer, Notifier, TimeKeeper } from "./runtime/index.js";
import { sendMoSms, type Consumer } from "./sms/index.js";
import type { CommandProcessor } from "./commands/index.js";
import {
  BackOnline,
  commandConsumer,
  gatewayOf,
  openProcessor,
  lateConsumer,
  moText,
  GatewayState,
  controlApi,
  createModemStack,
  type ModemStack,
  type ModemStackOptions,
  Poller,
  alive,
  summary,
  lastRun,
  mqttAuth,
  watchState,
} from "./daemon/index.js";

export interface DaemonOptions {
  loaded: Loaded;
  version: string;
  log: Logger;
  env?: NodeJS.ProcessEnv;
  clock?: Clock;
  notifier?: Notifier;
  time?: TimeKeeper;
  /** Tuning of the port supervisor (tests). */
  supervisor?: ModemStackOptions["supervisor"];
}

export interface Daemon {
  readonly stack: ModemStack;
  readonly link: MqttLink;
  /** The last health report (undefined before the first poll). */
  report(): HealthReport | undefined;
  /** One poll now (health, snapshots); resolves when published. */
  poll(): Promise<HealthReport>;
  /** SIGHUP: applies what can change without a restart (log level, intervals); returns the changed keys. */
  reload(next: Loaded): string[];
  stop(reason: string): Promise<void>;
}

/**
 * The composition root: builds every part from the configuration and wires them, in a fixed
 * order, and stops them in the reverse one. Nothing else reaches across folders.
 *
 * start: state dir → outbox → MQTT link → Command processor (journal, key) → modem stack (port
 *        supervisor, modem, inbox → processor + MQTT) → Wireless API lookup → poller and timers
 *        → back-online, resumed Commands → control socket → READY=1 (the broker is a health check, not a
 *        start condition: with a broken broker cellgate must still come up and answer Commands by SMS)
 * stop:  control socket → timers → back-online → running Command (≤ 5 s) → inbox → MQTT (offline,
 *        outbox flushed) → port → API → outbox
 */
export async function startDaemon(o: DaemonOptions): Promise<Daemon> {
  let cfg = o.loaded.config;
  const { log, version } = o;
  const env = o.env ?? process.env;
  const clock = o.clock ?? systemClock;
  const notifier = o.notifier ?? new Notifier({ env, log });
  const time = o.time ?? new TimeKeeper({ clock, sync: new ClockSync({ clock }) });
  const product = cfg.sim.product;
  const started = clock.now();
  const previous = await prepareState(cfg, version, started);

  const outbox = await Outbox.open(
    join(cfg.state.dir, "outbox"),
    { maxMessages: cfg.mqtt.outbox.maxMessages, maxBytes: cfg.mqtt.outbox.maxBytes, maxAgeMs: cfg.mqtt.outbox.maxAgeS * 1000 },
    { clock, log },
  );
  const sendLedger = await SendLedger.open(cfg.state.dir, cfg.mqtt.sendBudget, { clock });
  const link = new MqttLink({
    sendLedger,
    url: cfg.mqtt.url,
    clientId: cfg.mqtt.clientId ?? `cellgate-${o.loaded.gatewayId}`,
    prefix: o.loaded.topicPrefix,
    outbox,
    version,
    stamp: () => time.stamp(),
    clock,
    log,
    protocolVersion: cfg.mqtt.protocolVersion,
    keepaliveS: cfg.mqtt.keepaliveS,
    ...mqttAuth(cfg.mqtt, env),
  });
  const event = (type: string, detail: string, extra: Record<string, unknown> = {}) =>
    void link
      .publishQueued("events", { type, detail, ...extra })
      .catch((err: unknown) => log.error({ err: describeError(err), type }, "event not published"));

  // The modem stack first: its inbox hands off through a consumer bound once the processor is open.
  const handOff = lateConsumer();
  const stack = await buildStack(cfg, handOff.consumer, env, log, clock, o.supervisor);
  const config = () => cfg;
  const { api, lookup, apiError } = carrierLookup(cfg, env, log, clock, () => stack.modem.identity?.iccid ?? null);
  const state = new GatewayState({
    config,
    supervisor: stack.supervisor,
    link,
    outbox,
    lookup,
    apiError: () => apiError,
    time,
    clock,
    version,
    started,
  });
  const poller: Poller = new Poller({ config, stack, link, outbox, lookup, apiError, time, notifier, clock, log, event, state });
  const reply = moText({ stack, config, clock, log });
  const gateway = gatewayOf({ state, poller, stack, config });
  const processor = await openProcessor({ config, gateway, reply, link, time, env, clock, log, event });
  handOff.bind(commandConsumer(processor, { config, link, time }));
  const backOnline = new BackOnline({ config, view: () => state.view(), sendSms: reply, event, clock, log });
  wireEvents(stack, link, event, { product, clock, log, backOnline });
  const offState = watchState({ dir: cfg.state.dir, clock, log, event, recovered: () => void stack.inbox?.sweep() });
  // URCs change the published picture when they arrive, not at the next poll.
  stack.modem.events.on("registration", (r) => poller.onRegistration(r));
  stack.modem.events.on("signal", (q) => poller.onSignal(q));

  link
    .start(cfg.mqtt.keepaliveS * 1000)
    .catch((err: unknown) => log.error({ err: describeError(err) }, "local MQTT broker not answering yet; retrying"));
  await stack
    .start(5000)
    .catch((err: unknown) => log.warn({ err: describeError(err) }, "modem not ready yet; cellgate keeps looking for it"));
  event("started", `cellgate ${version} started ${previous}`, { version });
  await announceStart(processor, backOnline, previous, log);

  const timers = startTimers({ config: () => cfg, clock, log, poller, link, outbox, notifier, stack, started });

  const control = await ControlServer.listen(
    cfg.control.socket,
    controlApi({
      stack,
      poller,
      link,
      outbox,
      lookup,
      carrier: api ? { provider: cfg.api.provider, baseUrl: api.http.baseUrl } : undefined,
      apiError: () => apiError,
      product,
      gatewayId: o.loaded.gatewayId,
      version,
      clock,
      log,
    }),
    { log },
  );
  // Up and doing its job: configuration valid, state open, the modem being looked for, the control socket listening.
  notifier.ready(summary(poller.report, poller.snapshot, link));

  let stopped = false;
  return {
    stack,
    link,
    report: () => poller.report,
    poll: () => poller.poll(),
    reload(next) {
      const changed = changedKeys(cfg, next.config);
      log.level = next.config.log.level;
      cfg = { ...next.config, state: cfg.state, control: cfg.control }; // paths in use stay
      return changed;
    },
    async stop(reason) {
      if (stopped) return;
      stopped = true;
      notifier.stopping();
      await control.close().catch(() => {});
      offState();
      timers.stop();
      await backOnline.stop();
      await within(processor.idle(), 5000, clock); // a running modem reset: its journal entry says how far it got
      await poller.idle();
      await stack.inbox?.stop();
      await link.stop(reason);
      await stack.supervisor.stop();
      await api?.close();
      await outbox.close();
      await writeFileDurable(
        join(cfg.state.dir, "last-run.json"),
        JSON.stringify({ state: "stopped", reason, at: new Date(clock.now()).toISOString(), version }),
      );
    },
  };
}

/** "Back online" with the reason (a reboot a Command asked for, else how the last run ended); Commands a restart interrupted. */
async function announceStart(processor: CommandProcessor, backOnline: BackOnline, previous: string, log: Logger): Promise<void> {
  const rebooted = await processor.takeRebootMarker();
  backOnline.afterStart(
    rebooted ? `after a reboot requested by a Command at ${new Date(rebooted.at).toISOString()}` : previous,
    rebooted ? "reboot" : "restart",
  );
  void processor.resume().catch((err: unknown) => log.error({ err: describeError(err) }, "resuming Commands failed"));
}

/** The state directory, and why the previous run ended (read before this run marks itself running). */
async function prepareState(cfg: Config, version: string, started: number): Promise<string> {
  await mkdir(cfg.state.dir, { recursive: true }).catch((err: unknown) => {
    throw new CellgateError("CG_ERR_STATE_IO", `cannot create the state directory ${cfg.state.dir}: ${(err as Error).message}`, {
      path: cfg.state.dir,
    });
  });
  const previous = await lastRun(cfg.state.dir);
  await removeOrphanTmpFiles(cfg.state.dir);
  // A full or read-only state directory must not keep the daemon down: it runs, says so (the
  // `state` check), and deletes no SMS and runs no Command until it can write again.
  await writeFileDurable(
    join(cfg.state.dir, "last-run.json"),
    JSON.stringify({ state: "running", since: new Date(started).toISOString(), version }),
  ).catch(() => {});
  return previous;
}

/** The Wireless API client and the SIM lookup, unless the API is disabled or not configured (then why). */
function carrierLookup(
  cfg: Config,
  env: NodeJS.ProcessEnv,
  log: Logger,
  clock: Clock,
  iccid: () => string | null,
): { api?: ApiClient; lookup?: SimLookup; apiError?: string } {
  if (cfg.api.provider === "none") return {};
  try {
    const api = createApiClient({
      provider: cfg.api.provider,
      product: cfg.sim.product,
      credentials: credentialsFromEnv(cfg.api.provider, env),
      log,
      clock,
      ...(cfg.api.baseUrl ? { baseUrl: cfg.api.baseUrl } : {}),
    });
    return { api, lookup: new SimLookup(api.carrier, iccid, { clock, log }) };
  } catch (err) {
    const apiError = describeError(err);
    log.error({ err: apiError }, "no carrier view: the Wireless API client is not configured");
    return { apiError };
  }
}

/** Modem events become MQTT `events`; `commands/send` becomes an MO Command through the modem. */
function wireEvents(
  stack: ModemStack,
  link: MqttLink,
  event: (type: string, detail: string, extra?: Record<string, unknown>) => void,
  o: { product: Config["sim"]["product"]; clock: Clock; log: Logger; backOnline: BackOnline },
): void {
  let lost = false;
  stack.supervisor.events.on("recovery", (r) => {
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
    const r = await sendMoSms(req.text !== undefined ? { text: req.text } : { data: Buffer.from(req.data ?? "", "base64") }, {
      sender: stack.modem.sms,
      ...o,
    });
    return { mr: r.mr, to: r.to, mode: req.text !== undefined ? "text" : "binary" };
  });
}

/** The periodic work: polls, telemetry, the status heartbeat, the watchdog. */
function startTimers(d: {
  config: () => Config;
  clock: Clock;
  log: Logger;
  poller: Poller;
  link: MqttLink;
  outbox: Outbox;
  notifier: Notifier;
  stack: ModemStack;
  started: number;
}): Timers {
  const { clock, log, poller, link, outbox, notifier, stack } = d;
  const timers = new Timers(clock, (err) => log.error({ err: describeError(err) }, "periodic task failed"));
  void poller.poll().catch((err: unknown) => log.error({ err: describeError(err) }, "first poll failed"));
  timers.every(
    () => d.config().modem.pollS * 1000,
    () => poller.poll(),
  );
  timers.every(
    () => d.config().mqtt.telemetryS * 1000,
    () =>
      link.publishTelemetry(
        telemetryPayload(poller.snapshot, {
          uptimeS: Math.round((clock.now() - d.started) / 1000),
          outboxDepth: outbox.size,
          dropped: outbox.dropped.count + outbox.dropped.bytes + outbox.dropped.age,
          reconnects: link.state.reconnects,
        }),
      ),
  );
  timers.every(
    () => d.config().mqtt.heartbeatS * 1000,
    () => link.heartbeat(),
  );
  const wd = notifier.watchdogMs();
  if (wd !== null)
    timers.every(
      () => Math.max(500, Math.floor(wd / 2)),
      () =>
        alive(stack.supervisor, clock, wd)
          ? notifier.watchdog()
          : log.warn("watchdog not fed: the AT engine has not answered recently"),
    );
  return timers;
}

/** The modem stack, its inbox handing every SMS to MQTT: an SMS leaves the modem only once the PUBACK came or the outbox fsynced it. */
async function buildStack(
  cfg: Config,
  consumer: Consumer,
  env: NodeJS.ProcessEnv,
  log: Logger,
  clock: Clock,
  supervisor: ModemStackOptions["supervisor"],
): Promise<ModemStack> {
  const pin = readSecret("MODEM_PIN", { env, ...(cfg.modem.pinFile ? { file: cfg.modem.pinFile } : {}) });
  return createModemStack({
    ports: Array.isArray(cfg.modem.port) ? cfg.modem.port : [cfg.modem.port],
    baudRate: cfg.modem.baudRate,
    vendor: cfg.modem.vendor,
    log,
    clock,
    ...(pin ? { pin } : {}),
    ...(supervisor ? { supervisor } : {}),
    inbox: {
      stateDir: cfg.state.dir,
      product: cfg.sim.product,
      consumer,
      reassemblyTimeoutMs: cfg.sms.multipartTimeoutS * 1000,
      sweepIntervalMs: cfg.sms.sweepS * 1000,
      storage: cfg.sms.storage,
      reception: cfg.sms.reception,
    },
  });
}
