import { describeError, silentLogger, type Clock, type Logger } from "../core/index.js";
import { Modem, PortSupervisor, type PortSupervisorOptions, type VendorName } from "../modem/index.js";
import { Inbox, type InboxOptions } from "../sms/index.js";

export interface ModemStackOptions {
  /** Paths or patterns the AT port may appear under. */
  ports: readonly string[];
  baudRate?: number;
  vendor?: VendorName | "auto";
  pin?: string;
  log?: Logger;
  clock?: Clock;
  /** Tuning of the supervisor (poll, liveness, ladder, timeouts). */
  supervisor?: Omit<Partial<PortSupervisorOptions>, "ports" | "onReady" | "resetCommand">;
  /** Receive SMS and Commands: where state lives, the product, who takes the messages. */
  inbox?: Pick<
    InboxOptions,
    "stateDir" | "product" | "consumer" | "reassemblyTimeoutMs" | "sweepIntervalMs" | "storage" | "reception"
  >;
}

export interface ModemStack {
  supervisor: PortSupervisor;
  modem: Modem;
  inbox?: Inbox;
  start(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export async function createModemStack(o: ModemStackOptions): Promise<ModemStack> {
  const log = o.log ?? silentLogger;
  let inboxRunning = false;
  const supervisor: PortSupervisor = new PortSupervisor({
    ...o.supervisor,
    ports: o.ports,
    ...(o.baudRate ? { baudRate: o.baudRate } : {}),
    ...(o.clock ? { clock: o.clock } : {}),
    log,
    // Every (re)open and every reset runs the init sequence again, and SMS reception with it.
    onReady: async (_port, signal) => {
      await modem.init(signal);
      if (inboxRunning) await inbox?.resume();
    },
    resetCommand: () => modem.profile.resetCommand,
  });
  const modem: Modem = new Modem({
    port: supervisor.port,
    log,
    ...(o.clock ? { clock: o.clock } : {}),
    ...(o.vendor ? { vendor: o.vendor } : {}),
    ...(o.pin ? { pin: o.pin } : {}),
  });
  const inbox = o.inbox
    ? await Inbox.open({
        device: modem.sms,
        log,
        ...o.inbox,
        ...(o.clock ? { clock: o.clock } : {}),
      })
    : undefined;
  // A boot banner means the modem restarted on its own and forgot echo-off, URCs, CMEE, PDU mode.
  modem.events.on("rebooted", ({ banner }) => void supervisor.reinit(`boot banner ${banner}`));
  return {
    supervisor,
    modem,
    ...(inbox ? { inbox } : {}),
    start: async (timeoutMs) => {
      await supervisor.start(timeoutMs);
      if (inbox) {
        await inbox
          .start()
          .catch((err: unknown) =>
            log.error({ err: describeError(err) }, "SMS reception not set up yet; retried on the next modem init"),
          );
        inboxRunning = true;
      }
    },
    stop: async () => {
      await inbox?.stop();
      await supervisor.stop();
    },
  };
}
