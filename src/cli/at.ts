import type { Command } from "commander";
import { AtEngine, openSerialLink, traceLink } from "../at/index.js";
import { describeError, isCellgateError } from "../core/index.js";
import { cliLogger, enableTrace, EXIT, parseIntOption, resolvePort } from "./common.js";

/** `cellgate at [--port PATH] "AT+CSQ"`: one command through the engine; prints its lines and final result. */
export function registerAt(program: Command): void {
  program
    .command("at")
    .description("send one AT command to the modem and print the reply")
    .argument("<command>", 'the AT command, e.g. "AT+CSQ"')
    .option("-p, --port <path>", "the modem's AT port (default: $CELLGATE_MODEM_PORT)")
    .option("-b, --baud <rate>", "baud rate", "115200")
    .option("-t, --timeout <ms>", "time to wait for the final result code", "10000")
    .option("--trace", "print every byte sent and received on stderr")
    .action(async (command: string, o: { port?: string; baud: string; timeout: string; trace?: boolean }) => {
      process.exitCode = await runAt(command, o);
    });
}

async function runAt(command: string, o: { port?: string; baud: string; timeout: string; trace?: boolean }): Promise<number> {
  const path = resolvePort(o.port);
  const timeoutMs = parseIntOption("--timeout", o.timeout, 100, 600_000);
  const baudRate = parseIntOption("--baud", o.baud, 300, 4_000_000);
  if (o.trace) enableTrace();
  let engine: AtEngine | undefined;
  try {
    engine = new AtEngine({ link: traceLink(await openSerialLink({ path, baudRate })), log: cliLogger() });
    const r = await engine.command(command, { timeoutMs });
    for (const line of [...r.lines, r.final]) process.stdout.write(`${line}\n`);
    return EXIT.ok;
  } catch (err) {
    if (isCellgateError(err, "CG_ERR_AT_ERROR") || isCellgateError(err, "CG_ERR_AT_CME") || isCellgateError(err, "CG_ERR_AT_CMS")) {
      for (const line of [...(err.detail.lines as string[]), err.detail.final as string]) process.stdout.write(`${line}\n`);
      process.stderr.write(`${describeError(err)}\n`);
      return EXIT.modemError;
    }
    if (isCellgateError(err, "CG_ERR_AT_INVALID")) {
      process.stderr.write(`${describeError(err)}\n`);
      return EXIT.usage;
    }
    process.stderr.write(`${describeError(err)}\n`);
    return EXIT.portError;
  } finally {
    await engine?.close();
  }
}
