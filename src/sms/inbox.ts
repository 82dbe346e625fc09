import { join } from "node:path";
import {
  Timers,
  describeError,
  Emitter,
  readJsonFile,
  silentLogger,
  systemClock,
  writeFileDurable,
  type Clock,
  type Logger,
} from "../core/index.js";
import { isStorageFull, type Reception, type SmsEvents, type SmsSetupOptions, type StoredSms } from "../modem/index.js";
import { assemble, classifyPdu, type Classified } from "./classify.js";
import { Reassembler, type PartRecord } from "./reassembly.js";
import { SeenSet } from "./seen-set.js";
import { Spool } from "./spool.js";
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

/** After a failed hand-off (consumer down, modem busy) the next sweep is this far off, unless told. */
const RETRY_MS = 30_000;

export interface InboxOptions {
  device: SmsDevice;
  /** Where parts, the seen-set and (without a consumer) the spool live. */
  stateDir: string;
  product: Product;
  /** Takes each message durably; default: the spool in `<stateDir>/spool`. */
  consumer?: Consumer;
  clock?: Clock;
  log?: Logger;
  /** An incomplete multipart message is handed off, flagged, after this long (config sms.multipartTimeoutS). */
  reassemblyTimeoutMs: number;
  /** A full sweep this often: some modems do not send +CMTI for every SMS (docs/sms.md; config sms.sweepS). */
  sweepIntervalMs: number;
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
  #timers: Timers | undefined;
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
    return new Inbox(o, seen, Reassembler.from(parts, o.reassemblyTimeoutMs));
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
    this.#timers = new Timers(this.#clock);
    this.#timers.every(this.#o.sweepIntervalMs, () => void this.sweep());
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
    this.#timers?.stop();
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
      }, this.#o.retryMs ?? RETRY_MS);
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
    const c = this.#classify(s.pdu);
    if (c.kind === "not-inbound") return;
    if (c.kind === "part") {
      const added = await this.#holdPart(c.part); // the part is durably ours now
      await this.#o.device.delete(s.index, memory);
      if (added.status === "complete") await this.#deliverParts(added.parts, false);
      return;
    }
    await this.#deliver(c.message);
    await this.#o.device.delete(s.index, memory);
  }

  /**
   * +CMT (or +CDS): routed to us, not stored. Acknowledged only once durably ours — handed off,
   * spooled, or held as a part — so a crash before that leaves it unacknowledged and the network
   * delivers it again (the seen-set then hands it off once). A duplicate is acknowledged at once.
   */
  async #handleRouted(pdu: string): Promise<void> {
    const c = this.#classify(pdu);
    if (c.kind === "part") {
      const added = await this.#holdPart(c.part);
      if (added.status === "complete") await this.#deliverParts(added.parts, false);
    } else if (c.kind === "message") {
      await this.#deliver(c.message).catch(async (err: unknown) => {
        this.#log.error({ err: describeError(err) }, "+CMT hand-off failed: spooling it");
        await new Spool(join(this.#o.stateDir, "spool")).consumer(c.message);
      });
    }
    await this.#o.device.acknowledge();
  }

  /**
   * Whether deleting this stored PDU from the modem loses nothing: its message was handed off
   * (the seen-set has its id), the part is held in the state directory, or it is an outgoing
   * message cellgate never takes. A part of a message already reassembled and handed off is
   * not recognised (false): the caller then has to insist.
   */
  isHandedOff(pdu: string): boolean {
    const c = classifyPdu(pdu, { product: this.#o.product, now: this.#clock.now() });
    if (c.kind === "not-inbound") return true;
    if (c.kind === "message") return this.#seen.has(c.message.id, this.#clock.now());
    return this.#reassembler.records().some((r) => r.pdu === c.part.pdu);
  }

  #classify(hex: string): Classified {
    const c = classifyPdu(hex, { product: this.#o.product, now: this.#clock.now() });
    if (c.kind === "message" && c.message.kind === "undecodable") {
      this.#log.warn({ error: c.message.error }, "undecodable SMS: handing it off raw");
    }
    return c;
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
    await this.#deliver(assemble(parts, { product: this.#o.product, now: this.#clock.now() }, incomplete));
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
}
