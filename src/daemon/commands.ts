import { execFile } from "node:child_process";
import { uptime } from "node:os";
import { join } from "node:path";
import type { SimLookup } from "../api/index.js";
import { CommandProcessor, commandKey, type Admission, type Gateway, type GatewayView } from "../commands/index.js";
import { readSecret, type Config } from "../config/index.js";
import { describeError, type Clock, type Logger } from "../core/index.js";
import { failing } from "../health/index.js";
import { commandReceivedPayload, networkPayload, type MqttLink, type Outbox } from "../mqtt/index.js";
import type { TimeKeeper } from "../runtime/index.js";
import { gsm7Length } from "../sms/pdu/index.js";
import { sendCommand, Spool, type Consumer, type InboundMessage } from "../sms/index.js";
import type { ModemStack } from "./modem-stack.js";
import type { Poller } from "./poller.js";

export interface CommandWiring {
  config: () => Config;
  stack: () => ModemStack;
  poller: () => Poller;
  link: MqttLink;
  outbox: Outbox;
  lookup: () => SimLookup | undefined;
  apiError: () => string | undefined;
  time: TimeKeeper;
  version: string;
  started: number;
  env: NodeJS.ProcessEnv;
  clock: Clock;
  log: Logger;
  event: (type: string, detail: string, extra?: Record<string, unknown>) => void;
}

/** The HMAC key, or none (then signed Commands are answered `no-key`): a bad key must not keep the daemon, and so the gateway, down. */
function loadKey(cfg: Config, env: NodeJS.ProcessEnv, log: Logger, event: CommandWiring["event"]): Buffer | undefined {
  try {
    const secret = readSecret("COMMAND_KEY", { env, ...(cfg.commands.keyFile ? { file: cfg.commands.keyFile } : {}) });
    if (secret === undefined) {
      log.warn("no command key (COMMAND_KEY credential, commands.keyFile or CELLGATE_COMMAND_KEY): only unsigned verbs run");
      return undefined;
    }
    return commandKey(secret, cfg.commands.keyFile ?? "the COMMAND_KEY credential");
  } catch (err) {
    log.error({ err: describeError(err) }, "command key unusable: signed Commands are refused until it is fixed");
    event("command-key", `command key unusable: ${describeError(err)}`);
    return undefined;
  }
}

/** The gateway as the verbs see it: a fresh poll joined with the carrier's view and the MQTT link. */
export function gatewayOf(w: CommandWiring): Gateway {
  return {
    async view(): Promise<GatewayView> {
      const report = await w.poller().poll();
      const snap = w.poller().snapshot;
      const n = snap ? networkPayload(snap) : undefined;
      const c = w.lookup()?.peek();
      const port = w.stack().supervisor.state;
      const ls = w.link.state;
      const o = w.outbox.stats();
      return {
        verdict: report.verdict,
        failing: failing(report),
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
        iccid: snap?.identity?.iccid ?? null,
        carrier: c
          ? {
              status: c.view.sim.status,
              plan: c.view.plan?.name ?? null,
              dataEnabled: c.view.plan?.dataEnabled ?? null,
              usedBytes: c.view.usage?.dataBytes ?? null,
              limitBytes: c.view.usage?.limitBytes ?? null,
              ageS: Math.round(c.ageMs / 1000),
            }
          : null,
        carrierError: w.config().api.provider === "none" ? "api off" : (w.apiError() ?? null),
        mqtt: {
          connected: ls.connected,
          forS: Math.round((w.clock.now() - ls.since) / 1000),
          outboxDepth: o.depth,
          dropped: o.dropped.count + o.dropped.bytes + o.dropped.age,
          reconnects: ls.reconnects,
        },
        uptimeS: Math.round((w.clock.now() - w.started) / 1000),
        hostUptimeS: Math.round(uptime()),
        version: w.version,
        clock: w.time.quality(),
      };
    },
    resetModem: (reason) => w.stack().supervisor.resetModem(reason),
    reboot: () => runHostCommand(w.config().commands.reboot.command),
  };
}

/** One MO text Command through the modem: Command replies and the back-online status. */
export function sendText(w: Pick<CommandWiring, "config" | "stack" | "clock" | "log">): (text: string) => Promise<void> {
  return async (text) =>
    void (await sendCommand(
      { text },
      { sender: w.stack().modem.sms, product: w.config().sim.product, clock: w.clock, log: w.log },
    ));
}

/** The reboot command, without a shell; resolves once it exited 0. */
function runHostCommand(argv: readonly string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(argv[0]!, argv.slice(1), { timeout: 60_000 }, (err, _out, stderr) => {
      if (err) reject(new Error(`${argv.join(" ")}: ${stderr.trim().split("\n").pop() || err.message}`));
      else resolve();
    });
  });
}

export async function openProcessor(w: CommandWiring, gateway: Gateway): Promise<CommandProcessor> {
  const cfg = w.config();
  const c = cfg.commands;
  return CommandProcessor.open({
    stateDir: cfg.state.dir,
    policy: {
      unsigned: new Set(c.unsigned),
      disabled: new Set(c.disabled),
      maxAgeMs: { read: c.maxAgeS.read * 1000, act: c.maxAgeS.act * 1000 },
      maxFutureMs: c.maxFutureS * 1000,
      rebootToken: c.reboot.confirm,
    },
    key: loadKey(cfg, w.env, w.log, w.event),
    unauthenticated: c.unauthenticated,
    nakTemplate: c.nak,
    naksPerHour: c.naksPerHour,
    rebootMinIntervalMs: c.reboot.minIntervalS * 1000,
    gateway,
    reply: sendText(w),
    event: w.event,
    audit: async (type, detail, extra) => void (await w.link.publishQueued("events", { type, detail, ...extra })),
    septets: gsm7Length,
    referenceTime: () => {
      const s = w.time.stamp();
      return { ms: Date.parse(s.ts), quality: s.clock };
    },
    clock: w.clock,
    log: w.log,
  });
}

/**
 * The inbox's hand-off: the Command is admitted (journalled) first, then published on
 * `commands/received` with its authentication result (or spooled when publishing is off), and
 * only then run, so the SMS is deleted after both the journal and the broker hold it.
 */
export function commandConsumer(processor: CommandProcessor, w: Pick<CommandWiring, "config" | "link" | "time">): Consumer {
  return async (msg: InboundMessage) => {
    const adm: Admission = await processor.admit(msg);
    const cfg = w.config();
    const reason = adm.decision && !adm.decision.accept ? { auth_reason: adm.decision.reason } : {};
    // received_at (the inbox's system clock) on the clock of the payload's ts: stamped in the same
    // synchronous step as publishQueued's own stamp, so both are on one clock, which `clock` names.
    const receivedAt = w.time.stamp(Date.parse(msg.receivedAt)).ts;
    if (cfg.commands.publish)
      await w.link.publishQueued("commands/received", {
        ...commandReceivedPayload(msg),
        received_at: receivedAt,
        auth: adm.auth,
        ...reason,
      });
    else await new Spool(join(cfg.state.dir, "spool")).consumer(msg);
    void processor.dispatch(adm);
  };
}
