import { join } from "node:path";
import {
  describeError,
  Emitter,
  isCellgateError,
  readJsonFile,
  silentLogger,
  systemClock,
  writeFileDurable,
  type Clock,
  type Logger,
} from "../core/index.js";
import { isStorageFull, type Reception, type SmsEvents, type SmsSetupOptions, type StoredSms } from "../modem/index.js";
import { decodePdu, type DeliverPdu, type Pdu } from "./pdu/index.js";
import { Reassembler, type PartRecord } from "./reassembly.js";
import { SeenSet } from "./seen-set.js";
import { Spool } from "./spool.js";
import { isCommandSender, messageId, stripCommandSid } from "./twilio.js";
import type { Consumer, InboundMessage, Product } from "./types.js";

/** What the inbox needs of the modem's SMS storage (ModemSms has it). */
export interface SmsDevice {
  readonly events: Emitter<SmsEvents>;
  setupReception(opts?: SmsSetupOptions, signal?: AbortSignal): Promise<Reception>;
  /** Acknowledges the routed message (+CMT/+CDS) handed off last; a no-op where none is owed. */
  acknowledge(signal?: AbortSignal): Promise<void>;
  /** The memories to sweep, preferred first. */
  readonly memories: readonly string[];
  list(memory?: string, signal?: AbortSignal): Promise<StoredSms[]>;
  read(index: number, memory?: string, signal?: AbortSignal): Promise<StoredSms | undefined>;
  delete(index: number, memory?: string, signal?: AbortSignal): Promise<void>;
}

export interface InboxOptions {
  device: SmsDevice;
  /** Where parts, the seen-set and (without a consumer) the spool live. */
  stateDir: string;
  product: Product;
  /** Takes each message durably; default: the spool in `<stateDir>/spool`. */
  consumer?: Consumer;
  clock?: Clock;
  log?: Logger;
  /** An incomplete multipart message is handed off, flagged, after this long. */
  reassemblyTimeoutMs?: number;
  /** A full sweep of storage this often: some modems do not send +CMTI for every SMS (docs/sms.md). */
  sweepIntervalMs?: number;
  /** After a failed hand-off, try again this much later. */
  retryMs?: number;
  storage?: readonly string[];
  /** How messages reach cellgate: storage + +CMTI, or +CMT + +CNMA (auto: storage where usable). */
  reception?: SmsSetupOptions["reception"];
}

export type InboxEvents = {
  handedOff: [InboundMessage];
  /** A message whose id was already handed off (a Command re-sent by the network, a crash re-read). */
  duplicate: [{ id: string }];
  /** Processing failed; the SMS stays in storage and is tried again. */
  failed: [{ error: string; index?: number }];
};

/**
 * The path from modem storage to consumers. Each stored SMS is decoded (or kept raw with its
 * error), reassembled when multipart, classified (Command from 2936/000, foreign, status
 * report), de-duplicated, handed off, and only then deleted from the modem. Parts are held in
 * the state directory (fsync) until their message is complete, so storage does not fill up
 * with halves and a restart loses nothing.
 */
export class Inbox {
  readonly events: Emitter<InboxEvents>;
  readonly #o: InboxOptions;
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #consume: Consumer;
  readonly #partsFile: string;
  #reassembler: Reassembler;
  #seen: SeenSet;
  #queue: Promise<void> = Promise.resolve();
  #timers: Array<ReturnType<Clock["setTimeout"]>> = [];
  #retry: ReturnType<Clock["setTimeout"]> | undefined;
  #stopped = false;
  readonly #waitingSlots = new Set<string>();
  readonly #unsubscribe: Array<() => void> = [];

  private constructor(o: InboxOptions, seen: SeenSet, reassembler: Reassembler) {
    this.#o = o;
    this.#clock = o.clock ?? systemClock;
    this.#log = (o.log ?? silentLogger).child({ mod: "inbox" });
    this.#consume = o.consumer ?? new Spool(join(o.stateDir, "spool")).consumer;
    this.#partsFile = join(o.stateDir, "parts.json");
    this.#seen = seen;
    this.#reassembler = reassembler;
    this.events = new Emitter((event, err) => this.#log.error({ err, event }, "inbox listener failed"));
  }

  /** Loads the seen-set and the parts held from before a restart. */
  static async open(o: InboxOptions): Promise<Inbox> {
    const seen = await SeenSet.open({ dir: o.stateDir });
    const parts = (await readJsonFile<PartRecord[]>(join(o.stateDir, "parts.json"))) ?? [];
    return new Inbox(o, seen, Reassembler.from(parts, o.reassemblyTimeoutMs ?? 30 * 60_000));
  }

  /** Parts held for messages not complete yet. */
  get heldParts(): number {
    return this.#reassembler.records().length;
  }

  /** Sets up reception, sweeps what is stored, then follows +CMTI, full-storage signs and a timer. */
  async start(): Promise<void> {
    const d = this.#o.device;
    this.#stopped = false;
    this.#unsubscribe.push(
      d.events.on("stored", ({ index, memory }) => this.#stored(index, memory)),
      d.events.on("delivered", ({ pdu }) => void this.#run("+CMT", () => this.#handleRouted(pdu))),
      d.events.on("receptionLost", ({ reason }) => {
        this.#log.warn({ reason }, "the modem stopped routing SMS: setting reception up again");
        void this.#run("reception", () => this.#setup());
      }),
      d.events.on("full", ({ reason }) => {
        this.#log.warn({ reason }, "SMS storage full: draining it");
        void this.sweep();
      }),
    );
    this.#every(this.#o.sweepIntervalMs ?? 5 * 60_000, () => void this.sweep());
    await this.resume();
  }

  /**
   * Sets up reception and sweeps: after start, and again whenever the modem was re-opened or
   * restarted (it forgot PDU mode, +CNMI and +CPMS, and may have stored messages meanwhile).
   */
  async resume(): Promise<void> {
    await this.#setup();
    await this.sweep();
  }

  async #setup(): Promise<void> {
    const o = this.#o;
    const r = await o.device.setupReception({
      ...(o.storage ? { storage: o.storage } : {}),
      ...(o.reception ? { reception: o.reception } : {}),
    });
    this.#log.info(
      { reception: r },
      r.kind === "storage" ? `SMS stored in ${r.memory}, announced by +CMTI` : "SMS routed as +CMT",
    );
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    for (const u of this.#unsubscribe) u();
    for (const t of this.#timers) this.#clock.clearTimeout(t);
    this.#clock.clearTimeout(this.#retry);
    await this.#queue;
  }

  /** Reads everything stored and handles it; hands off complete and expired multipart messages. */
  sweep(): Promise<void> {
    return this.#run("sweep", async () => {
      for (const memory of this.#o.device.memories) {
        for (const s of (await this.#o.device.list(memory)).sort((a, b) => a.index - b.index)) {
          await this.#guard(s.index, () => this.#handleStored(s, memory));
        }
      }
      await this.#flushParts();
    });
  }

  /** Serializes every job: the sweep and +CMTI never handle the same slot at once. */
  #run(what: string, job: () => Promise<void>): Promise<void> {
    const next = this.#queue.then(async () => {
      if (this.#stopped) return;
      try {
        await job();
      } catch (err) {
        this.#failed(err, what);
      }
    });
    this.#queue = next;
    return next;
  }

  async #guard(index: number, job: () => Promise<void>): Promise<void> {
    try {
      await job();
    } catch (err) {
      this.#failed(err, `slot ${index}`, index);
    }
  }

  #failed(err: unknown, what: string, index?: number): void {
    this.#log.error({ what, err: describeError(err) }, "SMS not handed off; it stays in storage and is tried again");
    this.events.emit("failed", { error: describeError(err), ...(index !== undefined ? { index } : {}) });
    if (isStorageFull(err) && what !== "sweep") {
      // +CMS ERROR: 322: the modem says its memory is full; drain it now rather than later.
      void this.sweep();
      return;
    }
    if (this.#retry === undefined && !this.#stopped) {
      this.#retry = this.#clock.setTimeout(() => {
        this.#retry = undefined;
        void this.sweep();
      }, this.#o.retryMs ?? 30_000);
    }
  }

  /**
   * +CMTI: one read per slot at a time. Repeats for a slot already waiting are merged, so a
   * storm (a modem repeating itself, garbage on the line) costs one read, not one per line, and
   * a real Command behind it is not kept waiting. The slot is free again once its read starts.
   */
  #stored(index: number, memory: string): void {
    const slot = `${memory}:${index}`;
    if (this.#waitingSlots.has(slot)) return;
    this.#waitingSlots.add(slot);
    void this.#run(`+CMTI ${memory} ${index}`, () => {
      this.#waitingSlots.delete(slot);
      return this.#readAndHandle(index, memory);
    });
  }

  async #readAndHandle(index: number, memory: string): Promise<void> {
    const s = await this.#o.device.read(index, memory);
    if (s !== undefined) await this.#guard(index, () => this.#handleStored(s, memory));
  }

  /** One stored SMS: hand off (or hold as a part), then delete. Never delete before. */
  async #handleStored(s: StoredSms, memory?: string): Promise<void> {
    if (s.stat === 2 || s.stat === 3) {
      this.#log.debug({ index: s.index }, "an outgoing message in storage: not ours to take");
      return;
    }
    const decoded = this.#decode(s.pdu);
    if (decoded === "not-inbound") return;
    if ("part" in decoded) {
      const added = await this.#holdPart(decoded.part); // the part is durably ours now
      await this.#o.device.delete(s.index, memory);
      if (added.status === "complete") await this.#deliverParts(added.parts, false);
      return;
    }
    await this.#deliver(decoded.message);
    await this.#o.device.delete(s.index, memory);
  }

  /**
   * +CMT (or +CDS): routed to us, not stored. Acknowledged only once durably ours — handed off,
   * spooled, or held as a part — so a crash before that leaves it unacknowledged and the network
   * delivers it again (the seen-set then hands it off once). A duplicate is acknowledged at once.
   */
  async #handleRouted(pdu: string): Promise<void> {
    const decoded = this.#decode(pdu);
    if (decoded !== "not-inbound" && "part" in decoded) {
      const added = await this.#holdPart(decoded.part);
      if (added.status === "complete") await this.#deliverParts(added.parts, false);
    } else if (decoded !== "not-inbound") {
      await this.#deliver(decoded.message).catch(async (err: unknown) => {
        this.#log.error({ err: describeError(err) }, "+CMT hand-off failed: spooling it");
        await new Spool(join(this.#o.stateDir, "spool")).consumer(decoded.message);
      });
    }
    await this.#o.device.acknowledge();
  }

  #decode(hex: string): { message: InboundMessage } | { part: PartRecord } | "not-inbound" {
    let pdu: Pdu;
    try {
      pdu = decodePdu(hex);
    } catch (err) {
      const error = isCellgateError(err)
        ? { code: err.code, message: err.message }
        : { code: "CG_ERR_PDU_DECODE", message: describeError(err) };
      this.#log.warn({ error }, "undecodable SMS: handing it off raw");
      return {
        message: {
          ...this.#base([hex]),
          id: messageId({ content: hex }),
          kind: "undecodable",
          sender: null,
          smsc: null,
          timestamp: null,
          error,
        },
      };
    }
    if (pdu.type === "submit") return "not-inbound";
    if (pdu.type === "status-report") {
      const statusReport = {
        mr: pdu.mr,
        recipient: pdu.recipient,
        status: pdu.status,
        outcome: pdu.outcome,
        discharge: pdu.discharge.iso,
      };
      const id = messageId({ sender: pdu.recipient, timestamp: pdu.timestamp.iso, content: `sr:${pdu.mr}:${pdu.status}` });
      return {
        message: {
          ...this.#base([hex]),
          id,
          kind: "status-report",
          sender: pdu.recipient,
          smsc: pdu.smsc,
          timestamp: pdu.timestamp.iso,
          statusReport,
        },
      };
    }
    if (pdu.concat && pdu.concat.total > 1) return { part: this.#partOf(pdu, hex) };
    return { message: this.#assemble([this.#partOf(pdu, hex)], undefined, false) };
  }

  #partOf(p: DeliverPdu, hex: string): PartRecord {
    const c = p.concat ?? { ref: 0, total: 1, part: 1, refBits: 8 as const };
    return {
      key: Reassembler.keyOf(p.sender, c),
      sender: p.sender,
      ref: c.ref,
      total: c.total,
      part: c.part,
      pdu: hex,
      smsc: p.smsc,
      timestamp: p.timestamp.iso,
      encoding: p.encoding,
      ...(p.text !== undefined ? { text: p.text } : {}),
      ...(p.data !== undefined ? { dataHex: Buffer.from(p.data).toString("hex") } : {}),
      receivedAt: this.#clock.now(),
    };
  }

  /** One message from its parts (one part for a plain SMS): text or data, Command or foreign. */
  #assemble(parts: PartRecord[], concat: InboundMessage["concat"], incomplete: boolean): InboundMessage {
    const first = parts[0]!;
    const base = {
      ...this.#base(parts.map((p) => p.pdu)),
      sender: first.sender,
      smsc: first.smsc,
      timestamp: first.timestamp,
      ...(concat ? { concat } : {}),
      ...(incomplete ? { incomplete } : {}),
    };
    const binary = parts.filter((p) => p.encoding === "8bit").length;
    if (binary > 0 && binary < parts.length) {
      const error = { code: "CG_ERR_PDU_DECODE", message: "the parts of one message mix 8-bit data and text" };
      return {
        ...base,
        id: messageId({ sender: first.sender, timestamp: first.timestamp, content: base.pdus.join("") }),
        kind: "undecodable",
        error,
      };
    }
    const kind = isCommandSender(first.sender, this.#o.product) ? "command" : "foreign";
    if (binary > 0) {
      const data = Buffer.from(parts.map((p) => p.dataHex ?? "").join(""), "hex");
      const id = messageId({ sender: first.sender, timestamp: first.timestamp, content: data.toString("hex") });
      return { ...base, id, kind, encoding: "8bit", dataBase64: data.toString("base64") };
    }
    const text = parts.map((p) => p.text ?? "").join("");
    const { body, sid } = kind === "command" ? stripCommandSid(text) : { body: text, sid: undefined };
    const encoding = parts.some((p) => p.encoding === "ucs2") ? "ucs2" : "gsm7";
    const id = messageId({ ...(sid ? { sid } : {}), sender: first.sender, timestamp: first.timestamp, content: text });
    return { ...base, id, kind, encoding, text: body, ...(sid ? { sid } : {}) };
  }

  #base(pdus: string[]): Pick<InboundMessage, "pdus" | "receivedAt"> {
    return { pdus, receivedAt: new Date(this.#clock.now()).toISOString() };
  }

  /** Hand-off: skip an id already handed off; record the id only once the consumer took it. */
  async #deliver(m: InboundMessage): Promise<void> {
    const now = this.#clock.now();
    if (this.#seen.has(m.id, now)) {
      this.#log.info({ id: m.id, kind: m.kind }, "already handed off: not again");
      this.events.emit("duplicate", { id: m.id });
      return;
    }
    await this.#consume(m);
    await this.#seen.add(m.id, now);
    this.#log.info({ id: m.id, kind: m.kind, sender: m.sender }, "message handed off");
    this.events.emit("handedOff", m);
  }

  async #deliverParts(parts: PartRecord[], incomplete: boolean): Promise<void> {
    const first = parts[0]!;
    await this.#deliver(
      this.#assemble(parts, { ref: first.ref, total: first.total, parts: parts.map((p) => p.part) }, incomplete),
    );
    await this.#saveParts(this.#reassembler.records().filter((p) => p.key !== first.key));
    this.#reassembler.remove(first.key);
  }

  /** Complete groups whose hand-off is owed (restart, earlier failure) and expired incomplete ones. */
  async #flushParts(): Promise<void> {
    for (const g of this.#reassembler.complete()) await this.#deliverParts(g, false);
    for (const g of this.#reassembler.expired(this.#clock.now())) {
      this.#log.warn(
        { key: g[0]!.key, have: g.map((p) => p.part), total: g[0]!.total },
        "multipart message expired incomplete: handing off what arrived",
      );
      await this.#deliverParts(g, true);
    }
  }

  /** A part is written to the state directory before the reassembler holds it: a failed write changes nothing. */
  async #holdPart(part: PartRecord): Promise<ReturnType<Reassembler["add"]>> {
    if (!this.#reassembler.has(part)) await this.#saveParts([...this.#reassembler.records(), part]);
    return this.#reassembler.add(part);
  }

  async #saveParts(records: PartRecord[]): Promise<void> {
    await writeFileDurable(this.#partsFile, JSON.stringify(records));
  }

  #every(ms: number, fn: () => void): void {
    const slot = this.#timers.length;
    const tick = () => {
      if (this.#stopped) return;
      fn();
      this.#timers[slot] = this.#clock.setTimeout(tick, ms);
    };
    this.#timers[slot] = this.#clock.setTimeout(tick, ms);
  }
}
