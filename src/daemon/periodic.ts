import type { Config } from "../config/index.js";
import { networkView } from "../modem/index.js";
import { describeError, Timers, type Clock, type Logger } from "../core/index.js";
import { telemetryPayload, type MqttLink, type Outbox } from "../mqtt/index.js";
import type { Notifier } from "../runtime/index.js";
import type { ModemStack } from "./modem-stack.js";
import type { Poller } from "./poller.js";
import { alive } from "./systemd-status.js";

/** The periodic work: polls, telemetry, the status heartbeat, the watchdog. */
export function startTimers(d: {
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
        telemetryPayload(poller.snapshot && networkView(poller.snapshot), {
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
