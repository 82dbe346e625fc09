export type Encoding = "gsm7" | "8bit" | "ucs2";

export interface DataCoding {
  encoding: Encoding;
  /** 0 flash, 1 ME-specific, 2 SIM-specific, 3 TE-specific; absent when the DCS gives none. */
  messageClass?: 0 | 1 | 2 | 3;
  compressed: boolean;
}

/**
 * TP-DCS (23.038 §4), as ModemManager reads it: groups 00xx/01xx use bits 3-2 for the alphabet
 * (11 reserved: GSM 7-bit) and bit 4 for a class; C/D are GSM 7-bit, E is UCS2, F uses bit 2
 * (8-bit or GSM 7-bit) and carries a class; reserved groups count as GSM 7-bit.
 */
export function decodeDcs(dcs: number): DataCoding {
  const group = dcs >> 4;
  const cls = (dcs & 0x03) as 0 | 1 | 2 | 3;
  if (group <= 0x07) {
    const alphabet = (dcs >> 2) & 0x03;
    const encoding: Encoding = alphabet === 1 ? "8bit" : alphabet === 2 ? "ucs2" : "gsm7";
    return { encoding, compressed: (dcs & 0x20) !== 0, ...((dcs & 0x10) !== 0 ? { messageClass: cls } : {}) };
  }
  if (group === 0x0e) return { encoding: "ucs2", compressed: false };
  if (group === 0x0f) return { encoding: (dcs & 0x04) !== 0 ? "8bit" : "gsm7", compressed: false, messageClass: cls };
  return { encoding: "gsm7", compressed: false };
}

export function dcsFor(encoding: Encoding): number {
  return encoding === "gsm7" ? 0x00 : encoding === "8bit" ? 0x04 : 0x08;
}
