import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { createApiClient, credentialsFromEnv, SimLookup, type ApiClient } from "./api/index.js";
import { type Config, type Loaded, changedKeys } from "./config/index.js";
import {
  CellgateError,
  describeError,
  readSecret,
  removeOrphanTmpFiles,
  systemClock,
  writeFileDurable,
  type Clock,
  type Logger,
  within,
} from "./core/index.js";
import type { HealthReport } from "./health/index.js";
import { MqttLink, Outbox, SendLedger } from "./mqtt/index.js";
import { ClockSync, ControlServer, Notifier, TimeKeeper } from "./runtime/index.js";
import { type Consumer } from "./sms/index.js";
import type { CommandProcessor } from "./commands/index.js";
import {
  BackOnline,
  commandConsumer,
  gatewayOf,
  openProcessor,
  lateConsumer,
  moSender,
  GatewayState,
  controlApi,
  createModemStack,
  hostCommand,
  openLinkWatchdog,
  dataPathWord,
  type ModemStack,
  type ModemStackOptions,
  type MetricEvents,
  Poller,
  summary,
  lastRun,
  mqttAuth,
  watchState,
  wireEvents,
  startTimers,
  lateMetrics,
  smsAdmin,
  startIntegrations,
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
 * start: state dir → outbox → MQTT link → modem stack (port supervisor, modem, inbox with a
 *        late-bound consumer) → Wireless API lookup → gateway state, poller → Command processor
 *        (journal, key; bound to the inbox) → back-online → link and modem started → resumed
 *        Commands → timers → control socket → READY=1 (the broker is a health check, not a start
 *        condition: with a broken broker cellgate must still come up and answer Commands by SMS)
 * stop:  control socket → timers → back-online → running Command (≤ 5 s) → inbox → MQTT (offline,
 *        outbox flushed) → port → API → outbox
 */
export async function startDaemon(o: DaemonOptions): Promise<Daemon> {
  const clock = o.clock ?? systemClock;
  const env = o.env ?? process.env;
  const rt: Runtime = {
    ...o,
    env,
    clock,
    cfg: o.loaded.config,
    current: o.loaded.config,
    notifier: o.notifier ?? new Notifier({ env, log: o.log }),
    time: o.time ?? new TimeKeeper({ clock, sync: new ClockSync({ clock }) }),
    started: clock.now(),
  };
  const { cfg, log, version } = rt;
  const previous = await prepareState(cfg, version, rt.started);
  const p = await build(rt, await openMqtt(o, rt));

  p.link
    .start(cfg.mqtt.keepaliveS * 1000)
    .catch((err: unknown) => log.error({ err: describeError(err) }, "local MQTT broker not answering yet; retrying"));
  await p.stack
    .start(5000)
    .catch((err: unknown) => log.warn({ err: describeError(err) }, "modem not ready yet; cellgate keeps looking for it"));
  p.event("started", `cellgate ${version} started ${previous}`, { version });
  await announceStart(p.processor, p.backOnline, previous, log);
  const timers = startTimers({ ...rt, ...p, config: () => rt.current });
  p.watchdog.start();
  const { control, integrations } = await serveLocal(rt, p);
  // Up and doing its job: configuration valid, state open, the modem being looked for, the control socket listening.
  rt.notifier.ready(summary(p.poller.report, p.poller.snapshot, p.link));
  return handle(rt, p, [
    () => control.close().catch(() => {}),
    integrations,
    () => Promise.resolve(p.offState()),
    () => Promise.resolve(timers.stop()),
    () => Promise.resolve(p.watchdog.stop()),
  ]);
}

/** What the daemon answers locally: the control socket, and the MQTT requests, HA and metrics beside it. */
async function serveLocal(rt: Runtime, p: Parts) {
  const { cfg, loaded, version, clock, log } = rt;
  const carrier = p.api ? { provider: cfg.api.provider, baseUrl: p.api.http.baseUrl } : undefined;
  const sms = smsAdmin({ sms: () => p.stack.modem.sms, inbox: () => p.stack.inbox });
  const api = controlApi({
    ...p,
    carrier,
    apiError: () => p.apiError,
    product: cfg.sim.product,
    gatewayId: loaded.gatewayId,
    version,
    dataPath: () => dataPathWord(p.watchdog.status()),
    config: () => rt.current,
    clock,
    log,
    sms,
  });
  const control = await ControlServer.listen(cfg.control.socket, api, { log });
  const integrations = await startIntegrations({
    ...p,
    cfg,
    prefix: loaded.topicPrefix,
    gatewayId: loaded.gatewayId,
    version,
    started: rt.started,
    control: api,
    sms,
    clock,
    log,
  });
  return { control, integrations };
}

/** What startDaemon was given and derived once: `current` is the configuration a SIGHUP replaced last. */
interface Runtime {
  cfg: Config;
  current: Config;
  loaded: Loaded;
  version: string;
  log: Logger;
  env: NodeJS.ProcessEnv;
  clock: Clock;
  notifier: Notifier;
  time: TimeKeeper;
  started: number;
  supervisor?: ModemStackOptions["supervisor"];
}

type Mqtt = Awaited<ReturnType<typeof openMqtt>>;
type Parts = Awaited<ReturnType<typeof build>>;

/** Builds the parts in dependency order: the modem stack first, the Command processor last. */
async function build(rt: Runtime, mqtt: Mqtt) {
  const { cfg, env, log, clock, time, version, started } = rt;
  const { link, outbox, event } = mqtt;
  const config = () => rt.current;
  // The inbox hands off through a consumer bound once the processor is open.
  const handOff = lateConsumer();
  const meter = lateMetrics();
  const stack = await buildStack(cfg, handOff.consumer, env, log, clock, rt.supervisor);
  const { api, lookup, apiError } = carrierLookup(cfg, env, log, clock, () => stack.modem.identity?.iccid ?? null, meter);
  const sendMo = moSender({ stack, config, clock, log, meter });
  const reply = async (text: string) => void (await sendMo({ text }));
  const reboot = () => hostCommand(config().commands.reboot.command);
  // The watchdog reads the picture when it probes, after build: `state` is bound by then.
  const watchdog = await openLinkWatchdog({ ...rt, ...mqtt, stack, lookup, snapshot: () => state.snapshot, reboot, sms: reply });
  const linkStatus = () => watchdog.status();
  const gatewayDeps = { config, supervisor: stack.supervisor, link, outbox, lookup, time, clock, version, started, linkStatus };
  const state = new GatewayState({ ...gatewayDeps, apiError: () => apiError });
  const poller = new Poller({ ...rt, ...mqtt, config, stack, lookup, apiError, state, linkStatus });
  const gateway = gatewayOf({ state, poller, stack, config });
  const processor = await openProcessor({ config, gateway, reply, link, time, env, clock, log, event });
  handOff.bind(commandConsumer(processor, { config, link, time, meter }));
  const backOnline = new BackOnline({ config, view: () => state.view(), sendSms: reply, event, clock, log });
  wireEvents(stack, link, event, { backOnline, sendMo, meter });
  const offState = watchState({ dir: cfg.state.dir, clock, log, event, recovered: () => void stack.inbox?.sweep() });
  // URCs change the published picture when they arrive, not at the next poll.
  stack.modem.events.on("registration", (r) => poller.onRegistration(r));
  stack.modem.events.on("signal", (q) => poller.onSignal(q));
  return { ...mqtt, stack, api, lookup, apiError, state, poller, processor, backOnline, offState, meter, sendMo, watchdog };
}

/** The running daemon: reload applies live keys; stop runs `first`, then the rest in the reverse order of the start. */
function handle(rt: Runtime, p: Parts, first: Array<() => Promise<unknown>>): Daemon {
  const { log, clock } = rt;
  let stopping: Promise<void> | undefined;
  const stop = async (reason: string) => {
    rt.notifier.stopping();
    for (const step of first) await step();
    await p.backOnline.stop();
    await within(p.processor.idle(), 5000, clock); // a running modem reset: its journal entry says how far it got
    await p.poller.idle();
    await p.stack.inbox?.stop();
    await p.link.stop(reason);
    await p.stack.supervisor.stop();
    await p.api?.close();
    await p.outbox.close();
    const lastRun = { state: "stopped", reason, at: new Date(clock.now()).toISOString(), version: rt.version };
    await writeFileDurable(join(rt.cfg.state.dir, "last-run.json"), JSON.stringify(lastRun));
  };
  return {
    stack: p.stack,
    link: p.link,
    report: () => p.poller.report,
    poll: () => p.poller.poll(),
    reload(next) {
      const changed = changedKeys(rt.current, next.config);
      log.level = next.config.log.level;
      rt.current = { ...next.config, state: rt.current.state, control: rt.current.control }; // paths in use stay
      return changed;
    },
    stop: (reason) => (stopping ??= stop(reason)),
  };
}

/** The outbox, the send ledger and the link to the local broker; `event` publishes on `events`. */
async function openMqtt(o: DaemonOptions, d: { env: NodeJS.ProcessEnv; clock: Clock; time: TimeKeeper }) {
  const cfg = o.loaded.config;
  const { clock } = d;
  const { log } = o;
  const limits = {
    maxMessages: cfg.mqtt.outbox.maxMessages,
    maxBytes: cfg.mqtt.outbox.maxBytes,
    maxAgeMs: cfg.mqtt.outbox.maxAgeS * 1000,
  };
  const outbox = await Outbox.open(join(cfg.state.dir, "outbox"), limits, { clock, log });
  const sendLedger = await SendLedger.open(cfg.state.dir, cfg.mqtt.sendBudget, { clock });
  const link = new MqttLink({
    sendLedger,
    url: cfg.mqtt.url,
    clientId: cfg.mqtt.clientId ?? `cellgate-${o.loaded.gatewayId}`,
    prefix: o.loaded.topicPrefix,
    outbox,
    version: o.version,
    stamp: () => d.time.stamp(),
    clock,
    log,
    protocolVersion: cfg.mqtt.protocolVersion,
    statusRetain: cfg.mqtt.statusRetain,
    keepaliveS: cfg.mqtt.keepaliveS,
    ...mqttAuth(cfg.mqtt, d.env),
  });
  const event = (type: string, detail: string, extra: Record<string, unknown> = {}) =>
    void link
      .publishQueued("events", { type, detail, ...extra })
      .catch((err: unknown) => log.error({ err: describeError(err), type }, "event not published"));
  return { outbox, link, event };
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
  meter: MetricEvents,
): { api?: ApiClient; lookup?: SimLookup; apiError?: string } {
  if (cfg.api.provider === "none") return {};
  try {
    const api = createApiClient({
      provider: cfg.api.provider,
      product: cfg.sim.product,
      credentials: credentialsFromEnv(cfg.api.provider, env),
      log,
      clock,
      onResponse: (status) => meter.api(status),
      ...(cfg.api.baseUrl ? { baseUrl: cfg.api.baseUrl } : {}),
    });
    return { api, lookup: new SimLookup(api.carrier, iccid, { clock, log }) };
  } catch (err) {
    const apiError = describeError(err);
    log.error({ err: apiError }, "no carrier view: the Wireless API client is not configured");
    return { apiError };
  }
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
