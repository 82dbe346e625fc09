import type { Command } from "commander";
import { decodePdu, pduFields } from "../sms/pdu/index.js";
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
