import type { Command } from "commander";
import type { AtEngine } from "../at/index.js";
import { CellgateError, describeError, isCellgateError, type Logger } from "../core/index.js";
import { assess, VERDICT_EXIT, type HealthReport, type ModemView } from "../health/index.js";
import type { VendorName } from "../modem/index.js";
import { cliLogger, parseIntOption, viaDaemon } from "./common.js";
import { formatStatus } from "./format-status.js";
import { action, printResult } from "./output.js";

interface StatusOptions {
  port?: string;
  socket?: string;
  baud: string;
  json?: boolean;
  fresh?: boolean;
  vendor?: string;
  trace?: boolean;
}

const VENDORS = ["auto", "quectel", "simcom", "ublox", "telit", "nordic", "generic"];

/**
 * `cellgate status [--port PATH] [--json] [--fresh]`: the health report through the running daemon (from
 * the picture it keeps, unless --fresh or that picture is older than a poll interval), or
 * the modem part of it (identity, SIM, signal, registration, operator, attach) from the port.
 * Exit 0 ok, 1 degraded, 2 down, 3 unknown; 69 when neither a daemon nor a port is there.
 */
export function registerStatus(program: Command): void {
  program
    .command("status")
    .description("connectivity health from the modem: identity, SIM, signal, registration, attach")
    .option("-p, --port <path>", "open the modem's AT port directly instead of asking the running daemon")
    .option(
      "--socket <path>",
      "the daemon's control socket (default: $CELLGATE_CONTROL_SOCKET, else the config's control.socket)",
    )
    .option("-b, --baud <rate>", "baud rate", "115200")
    .option("--vendor <name>", `force a vendor profile (${VENDORS.join(", ")})`, "auto")
    .option("--json", "print the report as JSON")
    .option("--fresh", "through the daemon: poll the modem now instead of answering from the picture it keeps")
    .option("--trace", "print every byte sent and received on stderr (on a port this command opens, not through the daemon)")
    .action(action(async (o: StatusOptions) => VERDICT_EXIT[(await runStatus(o)).verdict]));
}

async function runStatus(o: StatusOptions): Promise<HealthReport> {
  const via = await viaDaemon(o, "status", o.fresh === true ? { fresh: true } : {});
  if ("daemon" in via) {
    const d = via.daemon;
    const path = "path" in d.port ? d.port.path : `(modem port ${d.port.kind})`;
    const view: ModemView = d.snapshot
      ? { snapshot: d.snapshot }
      : { error: { code: "CG_ERR_LINK_OPEN", message: "reason" in d.port ? d.port.reason : "modem port not ready" } };
    printResult(
      o.json === true,
      {
        gateway: d.gateway,
        version: d.version,
        port: path,
        dataPath: d.dataPath,
        modemReadAgoS: d.modemReadAgoS,
        polled: d.polled,
        ...d.report,
        modem: d.snapshot,
        mqtt: d.mqtt,
        outbox: d.outbox,
        carrier: d.carrier,
      },
      () =>
        formatStatus(`${path} (via the daemon, gateway ${d.gateway})`, d.report, view, {
          dataPath: d.dataPath,
          readAgoS: d.polled ? null : d.modemReadAgoS,
        }),
    );
    return d.report;
  }
  const path = via.direct;
  const baudRate = parseIntOption("--baud", o.baud, 300, 4_000_000);
  if (o.vendor !== undefined && !VENDORS.includes(o.vendor)) {
    throw new CellgateError("CG_ERR_CLI_USAGE", `--vendor must be one of ${VENDORS.join(", ")}`);
  }
  const log = cliLogger();
  const view = await readModem(path, baudRate, (o.vendor ?? "auto") as VendorName | "auto", { trace: o.trace, log });
  const report = assess({ modem: view, now: Date.now() });
  printResult(o.json === true, { port: path, ...report, modem: "snapshot" in view ? view.snapshot : { error: view.error } }, () =>
    formatStatus(path, report, view),
  );
  return report;
}

async function readModem(
  path: string,
  baudRate: number,
  vendor: VendorName | "auto",
  { trace, log }: { trace?: boolean; log: Logger },
): Promise<ModemView> {
  let engine: AtEngine | undefined;
  try {
    const [{ openEngine }, { Modem }] = await Promise.all([import("./direct.js"), import("../modem/index.js")]);
    engine = await openEngine(path, baudRate, { trace, log });
    const modem = new Modem({ port: engine, log, vendor });
    await modem.init();
    return { snapshot: await modem.snapshot() };
  } catch (err) {
    log.debug({ err: describeError(err) }, "modem not readable");
    return { error: { code: isCellgateError(err) ? err.code : "CG_ERR_LINK_OPEN", message: describeError(err) }, port: path };
  } finally {
    await engine?.close();
  }
}
