/**
 * The GSM 7-bit default alphabet and its extension table (3GPP TS 23.038 §6.2.1), septet
 * packing with fill bits, and counting. Decoding follows the receiver rules: an escape the
 * table does not know shows the base character, ESC ESC shows a space, a lone trailing ESC
 * shows a space (warthog618/sms's default decoder).
 */
// prettier-ignore
const BASIC = [
  "@", "£", "$", "¥", "è", "é", "ù", "ì", "ò", "Ç", "\n", "Ø", "ø", "\r", "Å", "å",
  "Δ", "_", "Φ", "Γ", "Λ", "Ω", "Π", "Ψ", "Σ", "Θ", "Ξ", "\x1b", "Æ", "æ", "ß", "É",
  " ", "!", "\"", "#", "¤", "%", "&", "'", "(", ")", "*", "+", ",", "-", ".", "/",
  "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", ":", ";", "<", "=", ">", "?",
  "¡", "A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K", "L", "M", "N", "O",
  "P", "Q", "R", "S", "T", "U", "V", "W", "X", "Y", "Z", "Ä", "Ö", "Ñ", "Ü", "§",
  "¿", "a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o",
  "p", "q", "r", "s", "t", "u", "v", "w", "x", "y", "z", "ä", "ö", "ñ", "ü", "à",
];
const EXTENSION: Record<number, string> = {
  0x0a: "\f",
  0x14: "^",
  0x28: "{",
  0x29: "}",
  0x2f: "\\",
  0x3c: "[",
  0x3d: "~",
  0x3e: "]",
  0x40: "|",
  0x65: "€",
};
const ESC = 0x1b;

const ENCODE = new Map<string, number[]>();
BASIC.forEach((ch, i) => {
  if (i !== ESC) ENCODE.set(ch, [i]);
});
for (const [code, ch] of Object.entries(EXTENSION)) ENCODE.set(ch, [ESC, Number(code)]);

export function decodeSeptets(septets: ArrayLike<number>): string {
  let out = "";
  for (let i = 0; i < septets.length; i++) {
    const s = septets[i]! & 0x7f;
    if (s !== ESC) {
      out += BASIC[s]!;
      continue;
    }
    const next = septets[i + 1];
    if (next === undefined || next === ESC) {
      out += " "; // a dangling ESC, or ESC ESC (both consumed): a space
      if (next === ESC) i++;
      continue;
    }
    out += EXTENSION[next] ?? BASIC[next & 0x7f]!;
    i++;
  }
  return out;
}

/** The septets of `text`, or undefined when a character has no GSM 7-bit code. */
export function encodeSeptets(text: string): number[] | undefined {
  const out: number[] = [];
  for (const ch of text) {
    const code = ENCODE.get(ch);
    if (code === undefined) return undefined;
    out.push(...code);
  }
  return out;
}

/**
 * `count` septets packed LSB-first, starting `fillBits` bits into `bytes` (after a UDH, the
 * header's septet boundary). Unpacking counts septets, not octets: a trailing `@` and the
 * spare bits of the last octet are told apart only by the count (UDL).
 */
export function unpackSeptets(bytes: Uint8Array, count: number, fillBits = 0): number[] {
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    const bit = fillBits + i * 7;
    const byte = bit >> 3;
    const shift = bit & 7;
    const lo = bytes[byte] ?? 0;
    const hi = bytes[byte + 1] ?? 0;
    out.push(((lo >> shift) | (hi << (8 - shift))) & 0x7f);
  }
  return out;
}

/**
 * Packs septets LSB-first after `fillBits` zero bits. When the last octet would leave 7 spare
 * bits, they carry CR rather than zeros (`crPad`, the default), so a reader that ignores UDL
 * does not see an extra `@` (23.038 §6.1.2.3.1).
 */
export function packSeptets(septets: readonly number[], fillBits = 0, crPad = true): Uint8Array {
  const totalBits = fillBits + septets.length * 7;
  const out = new Uint8Array(Math.ceil(totalBits / 8));
  septets.forEach((s, i) => writeSeptet(out, fillBits + i * 7, s));
  if (crPad && septets.length > 0 && totalBits % 8 === 1) writeSeptet(out, totalBits, 0x0d);
  return out;
}

function writeSeptet(out: Uint8Array, bit: number, septet: number): void {
  const byte = bit >> 3;
  const shift = bit & 7;
  out[byte]! |= (septet << shift) & 0xff;
  if (shift > 1 && byte + 1 < out.length) out[byte + 1]! |= septet >> (8 - shift);
}

/** Septets `text` takes in GSM 7-bit (extension characters count two), or undefined. */
export function gsm7Length(text: string): number | undefined {
  return encodeSeptets(text)?.length;
}
