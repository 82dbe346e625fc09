import { randomBytes } from "node:crypto";
import type { E2eWorld } from "../helpers/e2e.js";
import type { Ledger } from "../helpers/ledger.js";
import { ABUSE, control } from "../helpers/control-abuse.js";

/**
 * The faults of the matrix that the daemon gets over by itself (no restart, nobody freeing a
 * disk): each one applies its fault and resolves once the world is whole again (a device put
 * back, a broker started), so the next one starts from a world that works.
 */
export interface SoakFault {
  name: string;
  /** At most this many times an hour (the recovery ladder allows 3 modem resets an hour). */
  maxPerHour?: number;
  apply(w: E2eWorld, ledger: Ledger): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export const SOAK_FAULTS: SoakFault[] = [
  {
    name: "port yanked for 5 s",
    apply: async (w) => {
      await w.modem.pty.unplug();
      await sleep(5000);
      await w.modem.pty.replug();
    },
  },
  {
    name: "modem hung until reset",
    maxPerHour: 1,
    apply: async (w) => {
      w.modem.sim.hang("until-reset");
      let off = () => {};
      const rebooted = new Promise<void>((r) => (off = w.modem.sim.events.on("rebooted", () => r())));
      await Promise.race([rebooted, sleep(45_000)]);
      off();
      w.modem.sim.unhang(); // the ladder reset it (or, past its reset budget, the modem gives up the hang)
    },
  },
  {
    name: "modem hung 15 s",
    maxPerHour: 2, // its ladder may spend a reset too: with the one above, within the ladder's 3 an hour
    apply: async (w) => {
      w.modem.sim.hang("all");
      await sleep(15_000);
      w.modem.sim.unhang();
    },
  },
  {
    name: "modem answers 2 s late for 20 s",
    apply: async (w) => {
      w.modem.sim.stall(2000);
      await sleep(20_000);
      w.modem.sim.stall(0);
    },
  },
  { name: "modem reboots", apply: (w) => Promise.resolve(w.modem.sim.reboot()) },
  {
    name: "garbage, an over-long line and a URC storm",
    apply: async (w) => {
      w.modem.sim.garbage(randomBytes(4096));
      w.modem.sim.emitUrc(`+QIND: ${"A".repeat(20_000)}`);
      for (let i = 0; i < 2000; i++) w.modem.sim.emitUrc(i % 2 ? '+CMTI: "ME",200' : "+CSQ: 21,99");
      await sleep(1000);
    },
  },
  {
    name: "broker down 15 s",
    apply: async (w) => {
      await w.broker.stop();
      await sleep(15_000);
      await w.broker.start();
    },
  },
  {
    name: "broker killed (kill -9) and back after 3 s",
    apply: async (w) => {
      await w.broker.crash();
      await sleep(3000);
      await w.broker.start();
    },
  },
  {
    name: "API 429, 5xx, 401, slow, reset",
    apply: async (w) => {
      const path = /\/Sims/;
      w.api.inject({ status: 429, retryAfterS: 1 }, { path });
      w.api.inject({ status: 503 }, { path });
      w.api.inject({ status: 401 }, { path });
      w.api.inject({ delayMs: 8000 }, { path });
      w.api.inject({ reset: true }, { path });
      for (let i = 0; i < 5; i++) await control(w, '{"method":"sim"}');
    },
  },
  {
    name: "a Command delivered twice",
    apply: (w, ledger) => {
      const last = ledger.tags().at(-1);
      if (last !== undefined) ledger.deliver(last);
      return Promise.resolve();
    },
  },
  {
    name: "control socket abused",
    apply: async (w) => {
      for (const line of ABUSE) await control(w, line);
    },
  },
];
