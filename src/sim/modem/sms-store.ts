/**
 * SMS storage of the simulated modem: memories with a capacity (a SIM holds few), messages
 * with the 27.005 <stat>, read-marks on listing, and deletion by index or flag.
 */
export type Memory = "SM" | "ME" | "MT" | "SR";
export const MEMORIES: readonly Memory[] = ["SM", "ME", "MT", "SR"];

/** 27.005 <stat>: 0 received unread, 1 received read, 2 stored unsent, 3 stored sent. */
export type MessageStat = 0 | 1 | 2 | 3;
export const STAT_TEXT = ["REC UNREAD", "REC READ", "STO UNSENT", "STO SENT"] as const;

export interface StoredMessage {
  stat: MessageStat;
  /** Full PDU as +CMGR prints it, SMSC part included, upper-case hex. */
  pdu: string;
  /** The sender as the network knows it (a module that names it in +CMT prints it). */
  originator?: string;
  /** What a text-mode listing shows; taken from the deliverer, since the sim has no decoder. */
  text?: { address: string; scts: string; body: string };
}

/** The memories of one module; indexes as the module numbers them (from 0, or from 1). */
export class SmsStore {
  readonly #slots: Record<Memory, Array<StoredMessage | undefined>>;
  readonly #first: number;

  /** Only the memories in `capacity` exist; a module without storage has none, or one of size 0. */
  constructor(capacity: Partial<Record<Memory, number>>, firstIndex: 0 | 1 = 0) {
    const slots = (m: Memory) => new Array<StoredMessage | undefined>(capacity[m] ?? 0);
    this.#slots = { SM: slots("SM"), ME: slots("ME"), MT: slots("MT"), SR: slots("SR") };
    this.#first = firstIndex;
  }

  capacity(mem: Memory): number {
    return this.#slots[mem].length;
  }

  used(mem: Memory): number {
    return this.#slots[mem].filter((m) => m !== undefined).length;
  }

  /** Stores in the first free slot; undefined when the memory is full. */
  add(mem: Memory, msg: StoredMessage): number | undefined {
    const slots = this.#slots[mem];
    const i = slots.findIndex((m) => m === undefined);
    if (i < 0) return undefined;
    slots[i] = msg;
    return i + this.#first;
  }

  get(mem: Memory, index: number): StoredMessage | undefined {
    return this.#slots[mem][index - this.#first];
  }

  inRange(mem: Memory, index: number): boolean {
    const i = index - this.#first;
    return Number.isInteger(i) && i >= 0 && i < this.#slots[mem].length;
  }

  /** Messages whose stat matches (4 = all), in index order. */
  list(mem: Memory, stat: MessageStat | 4): Array<[number, StoredMessage]> {
    const out: Array<[number, StoredMessage]> = [];
    this.#slots[mem].forEach((m, i) => {
      if (m !== undefined && (stat === 4 || m.stat === stat)) out.push([i + this.#first, m]);
    });
    return out;
  }

  delete(mem: Memory, index: number): void {
    if (this.inRange(mem, index)) this.#slots[mem][index - this.#first] = undefined;
  }

  /** 27.005 <delflag>: 1 read, 2 read+sent, 3 read+sent+unsent, 4 all. */
  deleteByFlag(mem: Memory, flag: 1 | 2 | 3 | 4): void {
    const keep: Record<number, MessageStat[]> = { 1: [0, 2, 3], 2: [0, 2], 3: [0], 4: [] };
    this.#slots[mem].forEach((m, i) => {
      if (m !== undefined && !keep[flag]!.includes(m.stat)) this.#slots[mem][i] = undefined;
    });
  }
}
