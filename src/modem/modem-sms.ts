import { isRefusal, type AtPort, type Urc } from "../at/index.js";
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
  /** A message routed straight to us (+CMT, or a status report +CDS): to acknowledge once handed off. */
  delivered: [{ pdu: string; kind: "message" | "status-report" }];
  /** Storage is full: the modem is refusing new messages until some are deleted. */
  full: [{ reason: string }];
  /** The modem stopped routing messages to us (a missed acknowledgement, +CMS ERROR: 524): set it up again. */
  receptionLost: [{ reason: string }];
};

/** How messages reach cellgate on this modem. */
export type Reception =
  /** Stored in `memory`, announced with +CMTI, deleted after the hand-off (27.005 §3.4.1 <mt>=1). */
  | { kind: "storage"; memory: string; usage: MemoryUsage }
  /**
   * Routed as +CMT (<mt>=2) on a modem with no usable storage, acknowledged with +CNMA after the
   * hand-off. `acked`: the modem waits for the acknowledgement (+CSMS 1, or it always does); when
   * false it acknowledged by itself and a message can be lost if cellgate dies before the hand-off.
   */
  | { kind: "direct"; cnmi: string; acked: boolean };

export interface SmsSetupOptions {
  /** Storages to try, in order, for reading, writing and receiving (ME holds more than a SIM). */
  storage?: readonly string[];
  /** `auto`: storage where the modem has it, else direct. */
  reception?: "auto" | "storage" | "direct";
}

/** Any URC that says the SMS memory is full (Huawei ^SMMEMFULL, Quectel +QIND: "smsfull",…). */
const FULL_URC = /SMMEMFULL|smsfull|MEMFULL/i;
// +CNMI for storage: <mode> 2 buffers indications while the link is busy, 1 discards them then.
const STORAGE_CNMI = ["AT+CNMI=2,1,0,0,0", "AT+CNMI=1,1,0,0,0"];
// +CNMI for routing with status reports: 2 buffers; some modules take <mt>=2 only with <mode> 1
// (SIM7000/SIM7080), the nRF91 only with <mode> 3.
const DIRECT_CNMI = ["AT+CNMI=2,2,0,1,0", "AT+CNMI=1,2,0,1,0", "AT+CNMI=3,2,0,1"];

/**
 * SMS on the modem in PDU mode (27.005): reception set-up, by storage and +CMTI where the modem
 * has usable storage, else by +CMT routing with +CNMA acknowledgement; list, read, delete, send.
 * Reads from the memory a +CMTI names even when it is not the preferred one.
 */
export class ModemSms {
  readonly events: Emitter<SmsEvents>;
  readonly #port: AtPort;
  readonly #log: Logger;
  readonly #noPrompt: () => boolean;
  /** The +CPMS <mem1> reads and deletes act on. */
  #readMemory: string | undefined;
  #preferred: string | undefined;
  #memories: string[] = [];
  #reception: Reception | undefined;

  /** `noPrompt`: the modem takes the +CMGS PDU right after the line (the vendor profile knows). */
  constructor(port: AtPort, log: Logger = silentLogger, noPrompt: () => boolean = () => false) {
    this.#port = port;
    this.#log = log.child({ mod: "sms-modem" });
    this.#noPrompt = noPrompt;
    this.events = new Emitter((event, err) => this.#log.error({ err, event }, "SMS listener failed"));
    port.onUrc((u) => this.#onUrc(u));
  }

  /** How messages arrive (known once setupReception ran). */
  get reception(): Reception | undefined {
    return this.#reception;
  }

  /**
   * PDU mode, then reception: messages to storage with +CMTI where the modem has usable storage,
   * else routed as +CMT with acknowledgement (a modem with no storage, or `reception: direct`).
   */
  async setupReception(opts: SmsSetupOptions = {}, signal?: AbortSignal): Promise<Reception> {
    // The nRF91 takes +CMGF only from the client +CNMI registered: PDU mode is asked again after it.
    const pdu = await this.#pduMode(signal);
    const mode = opts.reception ?? "auto";
    let reception: Reception | undefined;
    if (mode !== "direct") {
      reception = await this.#setupStorage(opts.storage ?? ["ME", "SM"], signal);
      if (reception === undefined && mode === "storage") {
        throw new CellgateError("CG_ERR_SMS_STORAGE", "the modem has no usable SMS storage (sms.reception: storage)");
      }
    }
    reception ??= await this.#setupDirect(signal);
    if (!pdu) await this.#pduMode(signal, true);
    return (this.#reception = reception);
  }

  /** AT+CMGF=0; `must`: refused again, PDU mode is still fine if that is what the modem is in. */
  async #pduMode(signal: AbortSignal | undefined, must = false): Promise<boolean> {
    const o = signal ? { signal } : {};
    try {
      await this.#port.command("AT+CMGF=0", o);
      return true;
    } catch (err) {
      if (!isRefusal(err)) throw err;
      if (!must) return false;
      const current = await this.#port.command("AT+CMGF?", o).then(
        (r) => /\+CMGF:\s*0/.test(r.lines.join("\n")),
        () => false,
      );
      if (current) return true;
      throw new CellgateError(
        "CG_ERR_SMS_STORAGE",
        `the modem refuses PDU mode (AT+CMGF=0): ${describeError(err)}`,
        {},
        { cause: err },
      );
    }
  }

  async #setupStorage(preferred: readonly string[], signal?: AbortSignal): Promise<Reception | undefined> {
    const o = signal ? { signal } : {};
    const cnmi = await this.#first(STORAGE_CNMI, signal);
    if (cnmi === undefined) {
      this.#log.info("the modem refuses +CMTI indications; no storage reception");
      return undefined;
    }
    for (const mem of preferred) {
      try {
        await this.#port.command(`AT+CPMS="${mem}","${mem}","${mem}"`, o);
        this.#readMemory = this.#preferred = mem;
        break;
      } catch (err) {
        this.#log.info({ mem, err: describeError(err) }, "storage refused; trying the next");
      }
    }
    let mem1: MemoryUsage;
    try {
      [mem1] = await this.status(signal);
    } catch (err) {
      if (!isRefusal(err)) throw err;
      this.#log.info({ err: describeError(err) }, "AT+CPMS? refused: no usable storage");
      return undefined;
    }
    if (mem1.total === 0) {
      this.#log.info({ memory: mem1.memory }, "the modem's SMS memory holds nothing: messages will be routed instead");
      return undefined;
    }
    this.#readMemory = this.#preferred = mem1.memory;
    this.#memories = await this.#readableMemories(mem1.memory, signal);
    if (mem1.used >= mem1.total) this.events.emit("full", { reason: `${mem1.memory} holds ${mem1.used} of ${mem1.total}` });
    return { kind: "storage", memory: mem1.memory, usage: mem1 };
  }

  /** +CSMS 1 makes the modem wait for our +CNMA (a crash before the hand-off then loses nothing). */
  async #setupDirect(signal?: AbortSignal): Promise<Reception> {
    const o = signal ? { signal } : {};
    const phase2plus = await this.#port.command("AT+CSMS=1", o).then(
      () => true,
      (err: unknown) => {
        if (!isRefusal(err)) throw err;
        return false;
      },
    );
    const cnmi = await this.#first(DIRECT_CNMI, signal);
    if (cnmi === undefined)
      throw new CellgateError("CG_ERR_SMS_STORAGE", "the modem refuses both storage (+CMTI) and routing (+CMT) of SMS");
    this.#memories = [];
    // A modem without +CSMS (nRF91) still requires the acknowledgement; one that has +CSMS but
    // refused service 1 acknowledges by itself.
    const acked = phase2plus || (await this.#hasNoCsms(signal));
    if (!acked) this.#log.warn("the modem acknowledges routed SMS itself: one can be lost if cellgate stops before the hand-off");
    this.#log.info({ cnmi, acked }, "SMS routed to cellgate as +CMT");
    return { kind: "direct", cnmi, acked };
  }

  async #hasNoCsms(signal?: AbortSignal): Promise<boolean> {
    return this.#port.command("AT+CSMS?", signal ? { signal } : {}).then(
      () => false,
      () => true,
    );
  }

  /** The first of `cmds` the modem accepts; undefined when it refuses them all. */
  async #first(cmds: readonly string[], signal?: AbortSignal): Promise<string | undefined> {
    for (const cmd of cmds) {
      try {
        await this.#port.command(cmd, signal ? { signal } : {});
        return cmd;
      } catch (err) {
        if (!isRefusal(err)) throw err;
      }
    }
    return undefined;
  }

  /**
   * Acknowledges the routed message handed off last (AT+CNMA=1, 27.005 §3.4.4 PDU mode, RP-ACK).
   * A modem that did not expect one (+CMS ERROR 340) is fine; one that stopped routing is set up again.
   */
  async acknowledge(signal?: AbortSignal): Promise<void> {
    const r = this.#reception;
    if (r?.kind !== "direct" || !r.acked) return;
    try {
      await this.#port.command("AT+CNMA=1", { urgent: true, ...(signal ? { signal } : {}) });
    } catch (err) {
      const code = isCellgateError(err, "CG_ERR_AT_CMS") ? err.detail.errorCode : undefined;
      if (code === 340) return; // nothing was owed (the modem acknowledged by itself)
      this.events.emit("receptionLost", { reason: `AT+CNMA=1: ${describeError(err)}` });
      throw err;
    }
  }

  /**
   * The memories messages may sit in: the preferred one first, then the others <mem1> allows
   * (a message stored in SM before cellgate chose ME is still there). MT, a combined view of
   * SM and ME on some modems, is left out so nothing is listed twice.
   */
  get memories(): readonly string[] {
    if (this.#reception?.kind === "direct") return [];
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

  /** AT+CMGS=<tpdu length> → `>` → PDU (or the PDU right after the line); returns the message reference. */
  async send(pdu: { hex: string; tpduLength: number }, signal?: AbortSignal): Promise<number> {
    const opts = { ...(signal ? { signal } : {}), ...(this.#noPrompt() ? { noPrompt: true } : {}) };
    const r = await this.#port.smsCommand(`AT+CMGS=${pdu.tpduLength}`, pdu.hex, opts);
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
    } else if ((u.name === "+CMT:" || u.name === "+CDS:") && u.trailing[0] !== undefined) {
      this.events.emit("delivered", { pdu: u.trailing[0].trim(), kind: u.name === "+CMT:" ? "message" : "status-report" });
    } else if (/^\+CMS ERROR:\s*524\b/.test(u.line.trim())) {
      this.events.emit("receptionLost", { reason: "the modem stopped routing SMS (+CMS ERROR: 524, a missed acknowledgement)" });
    } else if (FULL_URC.test(u.line)) {
      this.events.emit("full", { reason: u.line.trim() });
    }
  }
}

/** The modem's answer that storage is full: +CMS ERROR: 322 (27.005 "memory full"). */
export function isStorageFull(err: unknown): boolean {
  return isCellgateError(err, "CG_ERR_AT_CMS") && err.detail.errorCode === 322;
}
