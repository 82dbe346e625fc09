import type { Command } from "commander";
import { AtEngine, openSerialLink, traceLink } from "../at/index.js";
import { describeError, isCellgateError } from "../core/index.js";
import { cliLogger, enableTrace, EXIT, parseIntOption, viaDaemon } from "./common.js";

interface AtOptions {
  port?: string;
  socket?: string;
  baud: string;
  timeout: string;
  trace?: boolean;
}

/** `cellgate at "AT+CSQ"`: one command through the running daemon (or the port itself with --port); prints its lines and final result. */
export function registerAt(program: Command): void {
  program
    .command("at")
    .description("send one AT command to the modem and print the reply")
    .argument("<command>", 'the AT command, e.g. "AT+CSQ"')
    .option("-p, --port <path>", "open the modem's AT port directly instead of going through the running daemon")
    .option(
      "--socket <path>",
      "the daemon's control socket (default: $CELLGATE_CONTROL_SOCKET, else the config's control.socket)",
    )
    .option("-b, --baud <rate>", "baud rate (with --port)", "115200")
    .option("-t, --timeout <ms>", "time to wait for the final result code", "10000")
    .option("--trace", "print every byte sent and received on stderr (with --port)")
    .action(async (command: string, o: AtOptions) => {
      process.exitCode = await runAt(command, o);
    });
}

async function runAt(command: string, o: AtOptions): Promise<number> {
  const timeoutMs = parseIntOption("--timeout", o.timeout, 100, 600_000);
  const baudRate = parseIntOption("--baud", o.baud, 300, 4_000_000);
  let engine: AtEngine | undefined;
  try {
    const via = await viaDaemon(o, "at", { command, timeoutMs });
    let r: { lines: readonly string[]; final: string };
    if ("daemon" in via) {
      r = via.daemon;
    } else {
      if (o.trace) enableTrace();
      engine = new AtEngine({ link: traceLink(await openSerialLink({ path: via.direct, baudRate })), log: cliLogger() });
      r = await engine.command(command, { timeoutMs });
    }
    for (const line of [...r.lines, r.final]) process.stdout.write(`${line}\n`);
    return EXIT.ok;
  } catch (err) {
    return atFailure(err);
  } finally {
    await engine?.close();
  }
}

function atFailure(err: unknown): number {
  process.stderr.write(`${describeError(err)}\n`);
  if (isCellgateError(err, "CG_ERR_AT_ERROR") || isCellgateError(err, "CG_ERR_AT_CME") || isCellgateError(err, "CG_ERR_AT_CMS")) {
    // The modem's own lines on stdout (before the error on stderr above, in the terminal's order they interleave).
    for (const line of [...((err.detail.lines as string[] | undefined) ?? []), (err.detail.final as string | undefined) ?? ""])
      if (line) process.stdout.write(`${line}\n`);
    return EXIT.modemError;
  }
  if (isCellgateError(err, "CG_ERR_AT_INVALID")) return EXIT.usage;
  return EXIT.portError;
}
