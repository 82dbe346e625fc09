import { pduError } from "./errors.js";

/** Hex → bytes: an even number of hex digits, nothing else (lenient: a trailing odd nibble is dropped). */
export function hexToBytes(hex: string, lenient = false): Uint8Array {
  const clean = hex.trim();
  const bad = /[^0-9A-Fa-f]/.exec(clean);
  if (bad !== null) throw pduError("hex", Math.floor(bad.index / 2), `not a hex digit: ${JSON.stringify(bad[0])}`, hex);
  if (clean.length % 2 !== 0 && !lenient) throw pduError("hex", Math.floor(clean.length / 2), "odd number of hex digits", hex);
  if (clean.length < 2) throw pduError("hex", 0, "empty PDU", hex);
  return Uint8Array.from(Buffer.from(clean.slice(0, clean.length - (clean.length % 2)), "hex"));
}

/** A cursor over PDU octets whose every read names the field it reads, for the error. */
export class PduReader {
  #pos = 0;

  constructor(
    readonly bytes: Uint8Array,
    readonly raw: string,
    /** Tolerate what a lenient decode tolerates (see DecodeOptions.lenient). */
    readonly lenient = false,
  ) {}

  get offset(): number {
    return this.#pos;
  }

  get remaining(): number {
    return this.bytes.length - this.#pos;
  }

  u8(field: string): number {
    if (this.#pos >= this.bytes.length) throw pduError(field, this.#pos, "the PDU ends here", this.raw);
    return this.bytes[this.#pos++]!;
  }

  take(n: number, field: string): Uint8Array {
    if (this.#pos + n > this.bytes.length) {
      throw pduError(field, this.#pos, `needs ${n} octets, ${this.bytes.length - this.#pos} left`, this.raw);
    }
    const out = this.bytes.subarray(this.#pos, this.#pos + n);
    this.#pos += n;
    return out;
  }

  rest(): Uint8Array {
    const out = this.bytes.subarray(this.#pos);
    this.#pos = this.bytes.length;
    return out;
  }

  fail(field: string, reason: string, at = this.#pos): never {
    throw pduError(field, at, reason, this.raw);
  }
}
