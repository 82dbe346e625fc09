import type { Command } from "commander";
import type { AtEngine } from "../at/index.js";
import { isCellgateError } from "../core/index.js";
import { cliLogger, parseIntOption, viaDaemon } from "./common.js";
import { action, EXIT, printResult } from "./output.js";

interface AtOptions {
  port?: string;
  socket?: string;
  baud: string;
  timeout: string;
  trace?: boolean;
  json?: boolean;
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
    .option("--trace", "print every byte sent and received on stderr (on a port this command opens, not through the daemon)")
    .option("--json", "print {lines, final} as JSON")
    .action(action((command: string, o: AtOptions) => runAt(command, o)));
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
      const { openEngine } = await import("./direct.js");
      engine = await openEngine(via.direct, baudRate, { trace: o.trace, log: cliLogger() });
      r = await engine.command(command, { timeoutMs });
    }
    printResult(o.json === true, { lines: r.lines, final: r.final }, () => [...r.lines, r.final].map((l) => `${l}\n`).join(""));
    return EXIT.ok;
  } catch (err) {
    // The modem's own lines on stdout in human form; the error itself is reported by the rule.
    if (
      !o.json &&
      (isCellgateError(err, "CG_ERR_AT_ERROR") || isCellgateError(err, "CG_ERR_AT_CME") || isCellgateError(err, "CG_ERR_AT_CMS"))
    )
      for (const line of [...((err.detail.lines as string[] | undefined) ?? []), (err.detail.final as string | undefined) ?? ""])
        if (line) process.stdout.write(`${line}\n`);
    throw err;
  } finally {
    await engine?.close();
  }
}
