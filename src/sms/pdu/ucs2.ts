/**
 * UCS2 user data decoded as UTF-16BE, so surrogate pairs (emoji) work; a lone surrogate or an
 * odd octet count is an error, not a replacement character (a plausible wrong decode).
 */
export type Ucs2Result = { text: string } | { error: string; text: string };

export function decodeUcs2(bytes: Uint8Array): Ucs2Result {
  if (bytes.length % 2 !== 0) return { error: `odd number of octets (${bytes.length}) for UCS2`, text: "" };
  const units: number[] = [];
  for (let i = 0; i < bytes.length; i += 2) units.push((bytes[i]! << 8) | bytes[i + 1]!);
  for (let i = 0; i < units.length; i++) {
    const u = units[i]!;
    if (u >= 0xd800 && u <= 0xdbff) {
      const next = units[i + 1];
      if (next === undefined || next < 0xdc00 || next > 0xdfff) {
        return {
          error: `dangling surrogate 0x${u.toString(16).toUpperCase()} at unit ${i}`,
          text: String.fromCharCode(...units.slice(0, i)),
        };
      }
      i++;
    } else if (u >= 0xdc00 && u <= 0xdfff) {
      return {
        error: `lone low surrogate 0x${u.toString(16).toUpperCase()} at unit ${i}`,
        text: String.fromCharCode(...units.slice(0, i)),
      };
    }
  }
  return { text: String.fromCharCode(...units) };
}

export function encodeUcs2(text: string): Uint8Array {
  const out = new Uint8Array(text.length * 2);
  for (let i = 0; i < text.length; i++) {
    const u = text.charCodeAt(i);
    out[i * 2] = u >> 8;
    out[i * 2 + 1] = u & 0xff;
  }
  return out;
}
