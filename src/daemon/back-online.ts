import { backOnlineReply, type GatewayView } from "../commands/index.js";
import type { Config } from "../config/index.js";
import { describeError, sleep, type Clock, type Logger } from "../core/index.js";
import { gsm7Length } from "../sms/pdu/index.js";

type Trigger = "reboot" | "restart" | "recovery";

export interface BackOnlineDeps {
  config: () => Config;
  /** The gateway's picture (the poller keeps it current; reading it asks the modem nothing). */
  view: () => GatewayView;
  sendSms: (text: string) => Promise<void>;
  event: (type: string, detail: string, extra?: Record<string, unknown>) => void;
  clock: Clock;
  log: Logger;
}

const SMS_EVERY_MS = 15 * 60_000;
/** How often the picture is looked at while waiting (the poller, not this, asks the modem). */
const LOOK_EVERY_MS = 1000;

/**
 * "Back online" (Teltonika's status after reboot): once the modem answers again after a start
 * or a recovery, an `events` message with the reason, and, where configured, an MO Command
 * with a short status — at most one such SMS per 15 minutes, so a flapping modem is not a bill.
 */
export class BackOnline {
  readonly #d: BackOnlineDeps;
  readonly #abort = new AbortController();
  #lastSms = -Infinity;
  #pending: Promise<void> = Promise.resolve();

  constructor(d: BackOnlineDeps) {
    this.#d = d;
  }

  /** After a start: `reason` is why the last run ended (or that a Command asked for the reboot). */
  afterStart(reason: string, trigger: "reboot" | "restart"): void {
    this.#pending = this.#announce(reason, trigger);
  }

  afterRecovery(reason: string): void {
    this.#pending = this.#pending.then(() => this.#announce(reason, "recovery"));
  }

  async stop(): Promise<void> {
    this.#abort.abort();
    await this.#pending.catch(() => {});
  }

  async #announce(reason: string, trigger: Trigger): Promise<void> {
    const { clock, log } = this.#d;
    try {
      // Wait for a poll that found the modem answering: "online" means the gateway can be reached again.
      let v = this.#d.view();
      while (!v.modem.answering && !this.#abort.signal.aborted) {
        await sleep(LOOK_EVERY_MS, clock, this.#abort.signal);
        v = this.#d.view();
      }
      this.#d.event("back-online", `back online ${reason}: health=${v.verdict}`, { reason, trigger, verdict: v.verdict });
      if (!this.#d.config().commands.backOnlineSms.includes(trigger) || clock.now() - this.#lastSms < SMS_EVERY_MS) return;
      // The SMS needs a registration: wait up to ten polls for one.
      const until = clock.now() + 10 * this.#d.config().modem.pollS * 1000;
      const registered = () => v.registration?.state === "home" || v.registration?.state === "roaming";
      while (!registered() && clock.now() < until && !this.#abort.signal.aborted) {
        await sleep(LOOK_EVERY_MS, clock, this.#abort.signal);
        v = this.#d.view();
      }
      this.#lastSms = clock.now();
      await this.#d.sendSms(backOnlineReply(trigger, v, gsm7Length));
    } catch (err) {
      if (!this.#abort.signal.aborted) log.warn({ err: describeError(err), trigger }, "back-online not announced");
    }
  }
}
