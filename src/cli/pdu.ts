import type { Command } from "commander";
import { decodePdu, type Pdu } from "../sms/pdu/index.js";
import { action, EXIT, printResult } from "./output.js";

interface PduOptions {
  json?: boolean;
  smsc: boolean;
  lenient?: boolean;
}

/** `cellgate pdu decode HEX [--json] [--no-smsc]`: one PDU, as +CMGR prints it. */
export function registerPdu(program: Command): void {
  program
    .command("pdu")
    .description("SMS PDU tools")
    .command("decode")
    .description("decode one SMS PDU (the +CMGR form, SMSC part first)")
    .argument("<hex...>", "the PDU in hex; spaces between the digits are fine (as logs print it)")
    .option("--json", "print the fields as JSON")
    .option("--no-smsc", "the PDU is a bare TPDU, without the SMSC part")
    .option("--lenient", "decode what is there when the UDL or the hex is off (for reading broken messages)")
    .action(action((hex: string[], o: PduOptions) => decode(hex.join(""), o)));
}

function decode(hex: string, o: PduOptions): number {
  // Modems and logs print PDUs with spaces (or line breaks) between the octets: they are not part of it.
  const fields = pduFields(decodePdu(hex.replace(/\s+/g, ""), { smsc: o.smsc, lenient: o.lenient ?? false }));
  printResult(o.json === true, fields, () =>
    Object.entries(fields)
      .map(([k, v]) => `${k}: ${typeof v === "object" && v !== null ? JSON.stringify(v) : String(v)}\n`)
      .join(""),
  );
  return EXIT.ok;
}

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
