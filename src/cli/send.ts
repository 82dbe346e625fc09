import type { Command } from "commander";
import type { AtEngine } from "../at/index.js";
import { CellgateError, isCellgateError, isStrictBase64 } from "../core/index.js";
import type { SendResult } from "../runtime/index.js";
import { encodeMo, sendMoSms, type MoCommand, type Product } from "../sms/index.js";
import { gsm7Length } from "../sms/pdu/index.js";
import { cliLogger, parseIntOption, viaDaemon } from "./common.js";
import { action, EXIT, printResult } from "./output.js";

interface SendOptions {
  port?: string;
  socket?: string;
  baud: string;
  binary?: string;
  product?: string;
  json?: boolean;
  trace?: boolean;
}

const PRODUCTS: readonly Product[] = ["programmable-wireless", "super-sim"];

/** `cellgate send TEXT | --binary BASE64`: a Mobile-Originated Command to 2936 / 000. */
export function registerSend(program: Command): void {
  program
    .command("send")
    .description("send a Mobile-Originated Command (to 2936, or 000 for Super SIM)")
    .argument("[text]", "the Command text (≤160 GSM 7-bit characters or 70 UCS2)")
    .option("--binary <base64>", "send bytes instead of text (≤140)")
    .option("-p, --port <path>", "open the modem's AT port directly instead of going through the running daemon")
    .option(
      "--socket <path>",
      "the daemon's control socket (default: $CELLGATE_CONTROL_SOCKET, else the config's control.socket)",
    )
    .option("-b, --baud <rate>", "baud rate", "115200")
    .option(
      "--product <name>",
      "programmable-wireless (2936) or super-sim (000); default $CELLGATE_SIM_PRODUCT or programmable-wireless",
    )
    .option("--json", "print the result as JSON")
    .option("--trace", "print every byte sent and received on stderr (on a port this command opens, not through the daemon)")
    .action(action((text: string | undefined, o: SendOptions) => runSend(text, o)));
}

function parseInput(text: string | undefined, o: SendOptions): { cmd: MoCommand; product: Product } {
  const product = (o.product ?? process.env.CELLGATE_SIM_PRODUCT ?? "programmable-wireless") as Product;
  if (!PRODUCTS.includes(product))
    throw new CellgateError("CG_ERR_CLI_USAGE", `--product must be ${PRODUCTS.join(" or ")}, got ${JSON.stringify(product)}`);
  if ((text === undefined) === (o.binary === undefined))
    throw new CellgateError("CG_ERR_CLI_USAGE", "give the Command text, or --binary BASE64, not both");
  if (o.binary !== undefined) {
    const data = Buffer.from(o.binary, "base64");
    if (!isStrictBase64(o.binary)) {
      throw new CellgateError("CG_ERR_CLI_USAGE", `--binary is not valid base64: ${JSON.stringify(o.binary)}`);
    }
    return { cmd: { data }, product };
  }
  return { cmd: { text: text! }, product };
}

async function runSend(text: string | undefined, o: SendOptions): Promise<number> {
  const { cmd, product } = parseInput(text, o);
  const baudRate = parseIntOption("--baud", o.baud, 300, 4_000_000);
  const log = cliLogger();
  let engine: AtEngine | undefined;
  try {
    encodeMo(cmd, product); // too long or not encodable: say so before any port or socket is touched
    const via = await viaDaemon(
      o,
      "send",
      cmd.text !== undefined ? { text: cmd.text } : { data: Buffer.from(cmd.data!).toString("base64") },
    );
    let r: SendResult;
    if ("daemon" in via) {
      r = via.daemon;
    } else {
      const [{ openEngine }, { Modem }] = await Promise.all([import("./direct.js"), import("../modem/index.js")]);
      engine = await openEngine(via.direct, baudRate, { trace: o.trace, log });
      const modem = new Modem({ port: engine, log });
      await modem.init();
      await engine.command("AT+CMGF=0");
      r = await sendMoSms(cmd, { sender: modem.sms, product, log });
    }
    const size = cmd.text !== undefined ? `${[...cmd.text].length} characters` : `${cmd.data!.length} bytes`;
    printResult(
      o.json === true,
      { mr: r.mr, to: r.to, encoding: r.encoding, attempts: r.attempts },
      () =>
        `sent to ${r.to}: message reference ${r.mr} (${r.encoding}, ${size}, ${r.attempts} attempt${r.attempts > 1 ? "s" : ""})\n`,
    );
    return EXIT.ok;
  } catch (err) {
    throw cmd.text !== undefined ? explainTooLong(err, cmd.text) : err;
  } finally {
    await engine?.close();
  }
}

/**
 * "162 GSM 7-bit characters" for 81 `{` reads as a miscount: each character of the GSM 7-bit
 * extension table ({ } [ ] ~ \\ | ^ €) is sent as two septets, an escape and the character.
 */
function explainTooLong(err: unknown, text: string): unknown {
  if (!isCellgateError(err, "CG_ERR_PDU_ENCODE")) return err;
  const doubled = [...text].filter((c) => gsm7Length(c) === 2);
  if (doubled.length === 0) return err;
  const which = [...new Set(doubled)].join(" ");
  return new CellgateError(
    "CG_ERR_PDU_ENCODE",
    `${err.message}: the text has ${[...text].length} characters, ${doubled.length} of them (${which}) from the GSM ` +
      `7-bit extension table, which takes two septets each (an escape, then the character)`,
    err.detail,
  );
}
