import { join } from "node:path";
import { CellgateError, readJsonFile, systemClock, writeFileDurable, type Clock } from "../core/index.js";
import type { CommandSendRequest } from "./topics.js";

export interface SendBudget {
  perHour: number;
  perDay: number;
}

interface LedgerFile {
  /** Clock times of the MO sends that count against the budget (the last day's). */
  sent: number[];
  /** Transactions seen, with when; "pending" while (or if a crash left it) being sent. */
  transactions: Record<string, { at: number; state: "pending" | "sent" }>;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Transactions are remembered this long (and at most this many): an application's retry comes within minutes. */
const TX_KEEP_MS = 7 * DAY;
const TX_MAX = 5000;

export type Admitted = { ok: true; finish: (outcome: "sent" | "not-sent") => Promise<void> };

/**
 * What `commands/send` may spend: an SMS costs money, so MO sends are counted against a budget per
 * hour and per day, and a request whose `transaction` was already sent (or is being sent) is not
 * sent again. Persisted (fsync) before the send, so a restart neither refills the budget nor
 * forgets a transaction; written first, then memory, like every state file. One request at a time.
 */
export class SendLedger {
  readonly #path: string;
  readonly #budget: SendBudget;
  readonly #clock: Clock;
  #file: LedgerFile;
  #queue: Promise<unknown> = Promise.resolve();

  private constructor(path: string, budget: SendBudget, clock: Clock, file: LedgerFile) {
    this.#path = path;
    this.#budget = budget;
    this.#clock = clock;
    this.#file = file;
  }

  static async open(stateDir: string, budget: SendBudget, o: { clock?: Clock } = {}): Promise<SendLedger> {
    const path = join(stateDir, "mo-ledger.json");
    const f = await readJsonFile<LedgerFile>(path).catch(() => undefined);
    const file: LedgerFile = {
      sent: Array.isArray(f?.sent) ? f.sent.filter((t) => typeof t === "number") : [],
      transactions: f?.transactions && typeof f.transactions === "object" ? f.transactions : {},
    };
    return new SendLedger(path, budget, o.clock ?? systemClock, file);
  }

  /** Sends left this hour and today. */
  remaining(): { hour: number; day: number } {
    const now = this.#clock.now();
    const sent = this.#file.sent;
    // A time in the future (the clock went back) still counts: the budget errs on the side of fewer SMS.
    const inHour = sent.filter((t) => now - t < HOUR).length;
    const inDay = sent.filter((t) => now - t < DAY).length;
    return { hour: this.#budget.perHour - inHour, day: this.#budget.perDay - inDay };
  }

  /**
   * May this request be sent? If so it is recorded (durably) as being sent, and `finish` says
   * how it went: "not-sent" (the modem refused it before anything left) gives the budget and
   * the transaction back; otherwise they stay spent.
   */
  admit(req: CommandSendRequest): Promise<Admitted> {
    return this.#serial(async () => {
      const now = this.#clock.now();
      const tx = req.transaction;
      if (tx !== undefined && this.#file.transactions[tx] !== undefined)
        throw new CellgateError(
          "CG_ERR_MQTT_REFUSED",
          `transaction ${JSON.stringify(tx)} was already sent (or is being sent): not again`,
          {
            transaction: tx,
            reason: "duplicate",
          },
        );
      const left = this.remaining();
      const spent = left.hour <= 0 ? `${this.#budget.perHour} an hour` : `${this.#budget.perDay} a day`;
      if (left.hour <= 0 || left.day <= 0)
        throw new CellgateError("CG_ERR_SMS_BUDGET", `the MO SMS budget is spent (${spent}, mqtt.sendBudget): not sent`, {
          perHour: this.#budget.perHour,
          perDay: this.#budget.perDay,
        });
      await this.#save(
        this.#pruned(
          {
            sent: [...this.#file.sent, now],
            transactions:
              tx === undefined ? this.#file.transactions : { ...this.#file.transactions, [tx]: { at: now, state: "pending" } },
          },
          now,
        ),
      );
      return { ok: true as const, finish: (outcome: "sent" | "not-sent") => this.#finish(now, tx, outcome) };
    });
  }

  #finish(at: number, tx: string | undefined, outcome: "sent" | "not-sent"): Promise<void> {
    return this.#serial(async () => {
      const f = this.#file;
      const transactions = { ...f.transactions };
      if (tx !== undefined) {
        if (outcome === "sent") transactions[tx] = { at, state: "sent" };
        else delete transactions[tx];
      }
      const sent = [...f.sent];
      if (outcome === "not-sent") {
        const i = sent.indexOf(at);
        if (i >= 0) sent.splice(i, 1);
      }
      await this.#save({ sent, transactions });
    });
  }

  #pruned(f: LedgerFile, now: number): LedgerFile {
    const sent = f.sent.filter((t) => now - t < DAY);
    const txs = Object.entries(f.transactions)
      .filter(([, v]) => now - v.at < TX_KEEP_MS)
      .slice(-TX_MAX);
    return { sent, transactions: Object.fromEntries(txs) };
  }

  async #save(next: LedgerFile): Promise<void> {
    await writeFileDurable(this.#path, JSON.stringify(next));
    this.#file = next;
  }

  #serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(fn);
    this.#queue = run.catch(() => {});
    return run;
  }
}
