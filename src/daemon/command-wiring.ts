import { execFile } from "node:child_process";
import { join } from "node:path";
import { CommandProcessor, commandKey, type Admission, type Gateway } from "../commands/index.js";
import type { Config } from "../config/index.js";
import { CellgateError, describeError, readSecret, type Clock, type Logger } from "../core/index.js";
import { commandReceivedPayload, type MqttLink } from "../mqtt/index.js";
import type { TimeKeeper } from "../runtime/index.js";
import { gsm7Length } from "../sms/pdu/index.js";
import { sendMoSms, Spool, type Consumer, type InboundMessage, type MoCommand, type MoResult } from "../sms/index.js";
import type { GatewayState } from "./gateway-state.js";
import type { MetricEvents } from "./metrics.js";
import type { ModemStack } from "./modem-stack.js";
import type { Poller } from "./poller.js";

type EventFn = (type: string, detail: string, extra?: Record<string, unknown>) => void;

/** The HMAC key, or none (then signed Commands are answered `no-key`): a bad key must not keep the daemon, and so the gateway, down. */
function loadKey(cfg: Config, env: NodeJS.ProcessEnv, log: Logger, event: EventFn): Buffer | undefined {
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

/** The gateway as the verbs see it: the last picture, a poll only where a verb asks for one, and the two actions. */
export function gatewayOf(o: { state: GatewayState; poller: Poller; stack: ModemStack; config: () => Config }): Gateway {
  return {
    view: () => o.state.view(),
    refresh: async () => {
      await o.poller.poll();
      return o.state.view();
    },
    resetModem: (reason) => o.stack.supervisor.resetModem(reason),
    reboot: () => hostCommand(o.config().commands.reboot.command),
  };
}

/**
 * Every MO SMS goes through this one sender (Command replies, back-online, commands/send, the
 * control socket's send), so each is counted once.
 */
export function moSender(o: {
  stack: ModemStack;
  config: () => Config;
  clock: Clock;
  log: Logger;
  meter: MetricEvents;
}): (cmd: MoCommand) => Promise<MoResult> {
  return async (cmd) => {
    try {
      const r = await sendMoSms(cmd, { sender: o.stack.modem.sms, product: o.config().sim.product, clock: o.clock, log: o.log });
      o.meter.mo("sent");
      return r;
    } catch (err) {
      o.meter.mo("failed");
      throw err;
    }
  };
}

/** The reboot command, without a shell; resolves once it exited 0 (the `reboot` Command's path, and the data-path ladder's). */
export function hostCommand(argv: readonly string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(argv[0]!, argv.slice(1), { timeout: 60_000 }, (err, _out, stderr) => {
      if (err) reject(new Error(`${argv.join(" ")}: ${stderr.trim().split("\n").pop() || err.message}`));
      else resolve();
    });
  });
}

export interface ProcessorWiring {
  config: () => Config;
  gateway: Gateway;
  reply: (text: string) => Promise<void>;
  link: MqttLink;
  time: TimeKeeper;
  env: NodeJS.ProcessEnv;
  clock: Clock;
  log: Logger;
  event: EventFn;
}

export async function openProcessor(w: ProcessorWiring): Promise<CommandProcessor> {
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
    gateway: w.gateway,
    reply: w.reply,
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
export function commandConsumer(
  processor: CommandProcessor,
  w: { config: () => Config; link: MqttLink; time: TimeKeeper; meter?: MetricEvents },
): Consumer {
  return async (msg: InboundMessage) => {
    const adm: Admission = await processor.admit(msg);
    w.meter?.command(adm.auth);
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

/**
 * The inbox is built with the modem stack, before the Command processor exists: it hands off
 * through this, bound once the processor is open (and before the inbox starts).
 */
export function lateConsumer(): { consumer: Consumer; bind(c: Consumer): void } {
  let target: Consumer | undefined;
  return {
    consumer: (m) =>
      target ? target(m) : Promise.reject(new CellgateError("CG_ERR_STATE_IO", "the Command processor is not open yet", {})),
    bind: (c) => void (target = c),
  };
}
