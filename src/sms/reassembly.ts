import type { Encoding } from "./pdu/index.js";

/** One part of a multipart message, with what is needed to rebuild it after a restart. */
export interface PartRecord {
  key: string;
  sender: string;
  ref: number;
  total: number;
  part: number;
  pdu: string;
  smsc: string | null;
  /** SCTS of this part (ISO). */
  timestamp: string;
  encoding: Encoding;
  text?: string;
  dataHex?: string;
  /** Clock time it was read. */
  receivedAt: number;
}

export type AddResult =
  { status: "duplicate" } | { status: "waiting"; have: number; total: number } | { status: "complete"; parts: PartRecord[] };

/**
 * Reassembly of concatenated SMS, pure (the clock comes in as numbers). Parts belong together
 * when sender, reference, total and reference width agree (a reference reused with another
 * total is another message, as node-pdu holds); any order; a repeated part is ignored.
 */
export class Reassembler {
  readonly #groups = new Map<string, PartRecord[]>();

  constructor(readonly expireMs: number) {}

  static keyOf(sender: string, c: { ref: number; total: number; refBits: 8 | 16 }): string {
    return `${sender}|${c.refBits}|${c.ref}|${c.total}`;
  }

  static from(records: readonly PartRecord[], expireMs: number): Reassembler {
    const r = new Reassembler(expireMs);
    for (const rec of records) r.add(rec);
    return r;
  }

  /** Whether this part is held already (a repeated part changes nothing). */
  has(p: PartRecord): boolean {
    return this.#groups.get(p.key)?.some((x) => x.part === p.part) ?? false;
  }

  add(p: PartRecord): AddResult {
    const parts = this.#groups.get(p.key) ?? [];
    if (parts.some((x) => x.part === p.part)) return { status: "duplicate" };
    parts.push(p);
    parts.sort((a, b) => a.part - b.part);
    this.#groups.set(p.key, parts);
    return parts.length === p.total ? { status: "complete", parts } : { status: "waiting", have: parts.length, total: p.total };
  }

  /** Groups with every part (e.g. restored after a restart, or whose hand-off must be retried). */
  complete(): PartRecord[][] {
    return [...this.#groups.values()].filter((g) => g.length === g[0]!.total);
  }

  /** Incomplete groups whose first part is older than the expiry. */
  expired(now: number): PartRecord[][] {
    return [...this.#groups.values()].filter(
      (g) => g.length < g[0]!.total && now - Math.min(...g.map((p) => p.receivedAt)) >= this.expireMs,
    );
  }

  remove(key: string): void {
    this.#groups.delete(key);
  }

  records(): PartRecord[] {
    return [...this.#groups.values()].flat();
  }

  get size(): number {
    return this.#groups.size;
  }
}
