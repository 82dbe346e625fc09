import type { AtPort, Urc } from "../at/index.js";
import { CellgateError, describeError, Emitter, isCellgateError, silentLogger, type Logger } from "../core/index.js";
import {
  parseCmglPdu,
  parseCmgrPdu,
  parseCmgsWrite,
  parseCmti,
  parseCpmsRead,
  parseCpmsTest,
  type MemoryUsage,
  type StoredSms,
} from "./parsers/index.js";

export type SmsEvents = {
  /** A new message is in storage (+CMTI). */
  stored: [{ memory: string; index: number }];
  /** A message routed straight to us (+CMT), not stored. */
  delivered: [{ pdu: string }];
  /** Storage is full: the modem is refusing new messages until some are deleted. */
  full: [{ reason: string }];
};

export interface SmsSetupOptions {
  /** Storages to try, in order, for reading, writing and receiving (ME holds more than a SIM). */
  storage?: readonly string[];
}

/** Any URC that says the SMS memory is full (Huawei ^SMMEMFULL, Quectel +QIND: "smsfull",…). */
const FULL_URC = /SMMEMFULL|smsfull|MEMFULL/i;

/**
 * SMS storage on the modem in PDU mode (27.005): set-up for reception (+CNMI routing new
 * messages to storage with +CMTI), list, read, delete, send. Reading from the memory a +CMTI
 * names even when it is not the preferred one.
 */
export class ModemSms {
  readonly events: Emitter<SmsEvents>;
  readonly #port: AtPort;
  readonly #log: Logger;
  /** The +CPMS <mem1> reads and deletes act on. */
  #readMemory: string | undefined;
  #preferred: string | undefined;
  #memories: string[] = [];

  constructor(port: AtPort, log: Logger = silentLogger) {
    this.#port = port;
    this.#log = log.child({ mod: "sms-storage" });
    this.events = new Emitter((event, err) => this.#log.error({ err, event }, "SMS listener failed"));
    port.onUrc((u) => this.#onUrc(u));
  }

  /** PDU mode, new messages to storage with +CMTI, the preferred storage; returns its usage. */
  async setupReception(opts: SmsSetupOptions = {}, signal?: AbortSignal): Promise<MemoryUsage> {
    const o = signal ? { signal } : {};
    try {
      await this.#port.command("AT+CMGF=0", o);
    } catch (err) {
      throw new CellgateError(
        "CG_ERR_SMS_STORAGE",
        `the modem refuses PDU mode (AT+CMGF=0): ${describeError(err)}`,
        {},
        { cause: err },
      );
    }
    // <mode>=2: buffer indications while the link is busy; <mt>=1: store, then +CMTI.
    await this.#port.command("AT+CNMI=2,1,0,0,0", o).catch(() => this.#port.command("AT+CNMI=1,1,0,0,0", o));
    for (const mem of opts.storage ?? ["ME", "SM"]) {
      try {
        await this.#port.command(`AT+CPMS="${mem}","${mem}","${mem}"`, o);
        this.#readMemory = this.#preferred = mem;
        break;
      } catch (err) {
        this.#log.info({ mem, err: describeError(err) }, "storage refused; trying the next");
      }
    }
    const [mem1] = await this.status(signal);
    this.#readMemory = this.#preferred = mem1.memory;
    this.#memories = await this.#readableMemories(mem1.memory, signal);
    if (mem1.used >= mem1.total && mem1.total > 0)
      this.events.emit("full", { reason: `${mem1.memory} holds ${mem1.used} of ${mem1.total}` });
    return mem1;
  }

  /**
   * The memories messages may sit in: the preferred one first, then the others <mem1> allows
   * (a message stored in SM before cellgate chose ME is still there). MT, a combined view of
   * SM and ME on some modems, is left out so nothing is listed twice.
   */
  get memories(): readonly string[] {
    return this.#memories.length > 0 ? this.#memories : this.#preferred ? [this.#preferred] : [];
  }

  async #readableMemories(preferred: string, signal?: AbortSignal): Promise<string[]> {
    try {
      const [mem1] = parseCpmsTest((await this.#port.command("AT+CPMS=?", signal ? { signal } : {})).lines);
      return [preferred, ...mem1.filter((m) => m !== preferred && m !== "MT" && m !== "BM")];
    } catch (err) {
      this.#log.info({ err: describeError(err) }, "AT+CPMS=? not answered; sweeping the preferred memory only");
      return [preferred];
    }
  }

  async status(signal?: AbortSignal): Promise<[MemoryUsage, MemoryUsage, MemoryUsage]> {
    return parseCpmsRead((await this.#port.command("AT+CPMS?", signal ? { signal } : {})).lines);
  }

  /** Every message in a memory (default: the preferred one), AT+CMGL=4. */
  async list(memory?: string, signal?: AbortSignal): Promise<StoredSms[]> {
    await this.#useMemory(memory ?? this.#preferred, signal);
    return parseCmglPdu((await this.#port.command("AT+CMGL=4", { timeoutMs: 30_000, ...(signal ? { signal } : {}) })).lines);
  }

  /** One message; undefined when the slot is empty. */
  async read(index: number, memory?: string, signal?: AbortSignal): Promise<StoredSms | undefined> {
    await this.#useMemory(memory ?? this.#preferred, signal);
    return parseCmgrPdu((await this.#port.command(`AT+CMGR=${index}`, signal ? { signal } : {})).lines, index);
  }

  async delete(index: number, memory?: string, signal?: AbortSignal): Promise<void> {
    await this.#useMemory(memory ?? this.#preferred, signal);
    await this.#port.command(`AT+CMGD=${index}`, signal ? { signal } : {});
  }

  /** AT+CMGS=<tpdu length> → `>` → PDU; returns the message reference. */
  async send(pdu: { hex: string; tpduLength: number }, signal?: AbortSignal): Promise<number> {
    const r = await this.#port.smsCommand(`AT+CMGS=${pdu.tpduLength}`, pdu.hex, signal ? { signal } : {});
    return parseCmgsWrite(r.lines);
  }

  async #useMemory(memory: string | undefined, signal?: AbortSignal): Promise<void> {
    if (memory === undefined || memory === this.#readMemory) return;
    await this.#port.command(`AT+CPMS="${memory}"`, signal ? { signal } : {});
    this.#readMemory = memory;
  }

  #onUrc(u: Urc): void {
    if (u.name === "+CMTI:") {
      try {
        this.events.emit("stored", parseCmti(u.line));
      } catch (err) {
        // +CMTI: ,-1 names no storage: look at everything instead.
        this.#log.warn({ line: u.line, err: describeError(err) }, "unusable +CMTI; treating it as a reason to sweep");
        this.events.emit("full", { reason: `unusable ${u.line.trim()}` });
      }
    } else if (u.name === "+CMT:" && u.trailing[0] !== undefined) {
      this.events.emit("delivered", { pdu: u.trailing[0].trim() });
    } else if (FULL_URC.test(u.line)) {
      this.events.emit("full", { reason: u.line.trim() });
    }
  }
}

/** The modem's answer that storage is full: +CMS ERROR: 322 (27.005 "memory full"). */
export function isStorageFull(err: unknown): boolean {
  return isCellgateError(err, "CG_ERR_AT_CMS") && err.detail.errorCode === 322;
}
