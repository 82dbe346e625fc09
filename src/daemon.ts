/**
 * The composition root. Today it wires the modem stack (port supervisor ↔ typed modem);
 * MQTT, the SMS pipeline, the Wireless API and the control socket join here as they land,
 * with a fixed start order and the reverse on stop.
 */
import { silentLogger, type Clock, type Logger } from "./core/index.js";
import { Modem, PortSupervisor, type PortSupervisorOptions, type VendorName } from "./modem/index.js";

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
}

export interface ModemStack {
  supervisor: PortSupervisor;
  modem: Modem;
  start(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export function createModemStack(o: ModemStackOptions): ModemStack {
  const log = o.log ?? silentLogger;
  const supervisor: PortSupervisor = new PortSupervisor({
    ...o.supervisor,
    ports: o.ports,
    ...(o.baudRate ? { baudRate: o.baudRate } : {}),
    ...(o.clock ? { clock: o.clock } : {}),
    log,
    // Every (re)open and every reset runs the init sequence again.
    onReady: async (_port, signal) => void (await modem.init(signal)),
    resetCommand: () => modem.profile.resetCommand,
  });
  const modem: Modem = new Modem({
    port: supervisor.port,
    log,
    ...(o.clock ? { clock: o.clock } : {}),
    ...(o.vendor ? { vendor: o.vendor } : {}),
    ...(o.pin ? { pin: o.pin } : {}),
  });
  // A boot banner means the modem restarted on its own and forgot echo-off, URCs, CMEE.
  modem.events.on("rebooted", ({ banner }) => void supervisor.reinit(`boot banner ${banner}`));
  return {
    supervisor,
    modem,
    start: (timeoutMs) => supervisor.start(timeoutMs),
    stop: () => supervisor.stop(),
  };
}
