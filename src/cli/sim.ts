import type { Command } from "commander";
import { CellgateError, isCellgateError } from "../core/index.js";
import { cliLogger, parseIntOption, viaDaemon } from "./common.js";
import { formatSim } from "./format-sim.js";
import { action, EXIT, printResult } from "./output.js";

interface SimOptions {
  iccid?: string;
  port?: string;
  socket?: string;
  baud: string;
  json?: boolean;
  provider?: string;
  product?: string;
  baseUrl?: string;
}

/**
 * `cellgate sim [--json]`: the carrier's view of this gateway's SIM — status, rate plan (or
 * Super SIM fleet), this month's usage against the limit, the last data session — looked up
 * by the modem's ICCID (or --iccid / CELLGATE_SIM_ICCID when the modem is not at hand).
 * Plain `cellgate sim` on a gateway asks the running daemon, which owns the modem and holds the
 * API credentials; --iccid, --port or an API flag look the SIM up from this process instead.
 */
export function registerSim(program: Command): void {
  program
    .command("sim")
    .description("the carrier's view of this SIM from the Wireless API (looked up by the modem's ICCID)")
    .option("--iccid <iccid>", "look up this ICCID instead of reading it from the modem (env CELLGATE_SIM_ICCID)")
    .option("-p, --port <path>", "the modem's AT port, to read the ICCID (default: $CELLGATE_MODEM_PORT)")
    .option(
      "--socket <path>",
      "the daemon's control socket (default: $CELLGATE_CONTROL_SOCKET, else the config's control.socket)",
    )
    .option("-b, --baud <rate>", "baud rate", "115200")
    .option("--provider <name>", "twilio or kore (env CELLGATE_API_PROVIDER, default twilio)")
    .option("--product <name>", "programmable-wireless or super-sim (env CELLGATE_SIM_PRODUCT)")
    .option("--base-url <url>", "the API's base URL, e.g. a simulator (env CELLGATE_API_BASE_URL)")
    .option("--json", "print the view as JSON")
    .action(action((o: SimOptions) => runSim(o)));
}

/** 0 with the whole view, 1 when some part of it could not be read (listed under `errors`); errors by the common table. */
async function runSim(o: SimOptions): Promise<number> {
  const log = cliLogger();
  // Plain `cellgate sim`: the daemon's view; with no daemon, the modem is read from here.
  const direct = [o.iccid, o.port, o.provider, o.product, o.baseUrl, process.env.CELLGATE_SIM_ICCID].some(
    (v) => v !== undefined && v !== "",
  );
  let port = o.port;
  if (!direct) {
    const r = await fromDaemon(o);
    if (typeof r === "number") return r;
    port = r.port;
  }
  const iccid = await resolveIccid({ ...o, ...(port !== undefined ? { port } : {}) });
  const { apiClientFromEnv } = await import("./api-env.js");
  const api = apiClientFromEnv(o, log);
  try {
    const view = await api.client.carrier.view(iccid);
    printResult(
      o.json === true,
      { iccid, provider: api.provider, baseUrl: api.baseUrl, fetchedAt: new Date().toISOString(), ...view },
      () => formatSim(view),
    );
    return Object.keys(view.errors).length > 0 ? EXIT.no : EXIT.ok;
  } finally {
    await api.client.close();
  }
}

/** Prints the running daemon's view and returns the exit code, or the port to read when no daemon answers. */
async function fromDaemon(o: SimOptions): Promise<number | { port: string }> {
  try {
    const via = await viaDaemon({ ...(o.socket ? { socket: o.socket } : {}) }, "sim", {});
    if ("direct" in via) return { port: via.direct };
    const { iccid, provider, baseUrl, fetchedAt, ...view } = via.daemon;
    printResult(o.json === true, { iccid, provider, baseUrl, fetchedAt, via: "daemon", ...view }, () => formatSim(view));
    return Object.keys(view.errors).length > 0 ? EXIT.no : EXIT.ok;
  } catch (err) {
    if (!isCellgateError(err, "CG_ERR_CONTROL_UNREACHABLE")) throw err;
    throw new CellgateError(
      err.code,
      `${err.message}, or --iccid ICCID (with the API's credentials in the environment)`,
      err.detail,
    );
  }
}

/** --iccid, CELLGATE_SIM_ICCID, else the modem's own (read over --port / CELLGATE_MODEM_PORT). */
async function resolveIccid(o: SimOptions): Promise<string> {
  const { normalizeIccid } = await import("../api/index.js");
  const given = o.iccid ?? (process.env.CELLGATE_SIM_ICCID || undefined);
  if (given !== undefined)
    try {
      return normalizeIccid(given);
    } catch (err) {
      // The ICCID was given on this command line (or its environment): a usage error, not the API's configuration.
      throw isCellgateError(err, "CG_ERR_API_CONFIG")
        ? new CellgateError("CG_ERR_CLI_USAGE", `--iccid: ${err.message}`, err.detail)
        : err;
    }
  const path = o.port ?? (process.env.CELLGATE_MODEM_PORT || undefined);
  if (path === undefined)
    throw new CellgateError(
      "CG_ERR_CLI_USAGE",
      "no ICCID: pass --port PATH (or set CELLGATE_MODEM_PORT) to read it from the modem, or --iccid ICCID",
    );
  const baudRate = parseIntOption("--baud", o.baud, 300, 4_000_000);
  const [{ openEngine }, { Modem }] = await Promise.all([import("./direct.js"), import("../modem/index.js")]);
  const engine = await openEngine(path, baudRate, { log: cliLogger() });
  try {
    const id = await new Modem({ port: engine }).init();
    if (id.iccid === null)
      throw new CellgateError("CG_ERR_MODEM_PARSE", `the modem on ${path} did not give an ICCID (no SIM, or a locked one)`);
    return normalizeIccid(id.iccid);
  } finally {
    await engine.close();
  }
}
