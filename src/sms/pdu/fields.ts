import type { Pdu } from "./decode.js";

/**
 * The JSON contract of `pdu decode`: type, smsc, sender, recipient, timestamp, encoding, text
 * (absent for 8-bit), dataHex (8-bit), concat, status (status reports) — the ones that apply.
 */
export function pduFields(p: Pdu): Record<string, unknown> {
  const out: Record<string, unknown> = { type: p.type, smsc: p.smsc };
  if (p.type === "deliver") out.sender = p.sender;
  else out.recipient = p.recipient;
  if (p.type !== "submit") out.timestamp = p.timestamp.iso;
  if (p.type === "status-report") {
    out.status = p.status;
    return out;
  }
  out.encoding = p.encoding;
  if (p.text !== undefined) out.text = p.text;
  if (p.data !== undefined) out.dataHex = Buffer.from(p.data).toString("hex").toUpperCase();
  if (p.concat) out.concat = { ref: p.concat.ref, total: p.concat.total, part: p.concat.part };
  return out;
}
