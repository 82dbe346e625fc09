import type { Command } from "commander";
import { describeError, isCellgateError } from "../core/index.js";
import { decodePdu, type Pdu } from "../sms/pdu/index.js";
import { EXIT } from "./common.js";

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
    .argument("<hex>", "the PDU in hex")
    .option("--json", "print the fields as JSON")
    .option("--no-smsc", "the PDU is a bare TPDU, without the SMSC part")
    .option("--lenient", "decode what is there when the UDL or the hex is off (for reading broken messages)")
    .action((hex: string, o: PduOptions) => {
      process.exitCode = decode(hex, o);
    });
}

function decode(hex: string, o: PduOptions): number {
  let pdu: Pdu;
  try {
    pdu = decodePdu(hex, { smsc: o.smsc, lenient: o.lenient ?? false });
  } catch (err) {
    const code = isCellgateError(err) ? err.code : "CG_ERR_PDU_DECODE";
    const message = isCellgateError(err) ? err.message : describeError(err);
    if (o.json) process.stdout.write(`${JSON.stringify({ error: { code, message } })}\n`);
    else process.stderr.write(`${code}: ${message}\n`);
    return EXIT.modemError;
  }
  const fields = pduFields(pdu);
  if (o.json) process.stdout.write(`${JSON.stringify(fields)}\n`);
  else
    for (const [k, v] of Object.entries(fields))
      process.stdout.write(`${k}: ${typeof v === "object" && v !== null ? JSON.stringify(v) : String(v)}\n`);
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
