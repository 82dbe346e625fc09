/**
 * Strict base64: the standard alphabet, padded, and canonical (it decodes and re-encodes to the
 * same text). Buffer.from(s, "base64") accepts anything and skips what it does not know, so
 * `!!!notbase64` would quietly become the bytes of "notbase6".
 */
export function isStrictBase64(s: string): boolean {
  return (
    s.length > 0 && s.length % 4 === 0 && /^[A-Za-z0-9+/]+={0,2}$/.test(s) && Buffer.from(s, "base64").toString("base64") === s
  );
}
