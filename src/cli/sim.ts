import type { Command } from "commander";
import { normalizeIccid } from "../api/index.js";
import { AtEngine, openSerialLink } from "../at/index.js";
import { CellgateError, describeError, isCellgateError } from "../core/index.js";
import { Modem } from "../modem/index.js";
import { apiClientFromEnv } from "./api-env.js";
import { cliLogger, parseIntOption, viaDaemon } from "./common.js";
import { formatSim } from "./format-sim.js";

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

/** Exit codes of `cellgate sim`. */
export const SIM_EXIT = { ok: 0, partial: 1, api: 2, modem: 3, usage: 64 } as const;

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
    .action(async (o: SimOptions) => {
      process.exitCode = await runSim(o);
    });
}

async function runSim(o: SimOptions): Promise<number> {
  const log = cliLogger();
  const fail = (code: number, err: unknown): number => {
    const e = {
      code: isCellgateError(err) ? err.code : "CG_ERR_API_UNAVAILABLE",
      message: err instanceof Error ? err.message : String(err),
    };
    if (o.json) process.stdout.write(`${JSON.stringify({ error: e })}\n`);
    process.stderr.write(`cellgate sim: ${describeError(err)}\n`);
    return code;
  };
  // Plain `cellgate sim`: the daemon's view; with no daemon, the modem is read from here.
  const direct = [o.iccid, o.port, o.provider, o.product, o.baseUrl, process.env.CELLGATE_SIM_ICCID].some(
    (v) => v !== undefined && v !== "",
  );
  let port = o.port;
  if (!direct) {
    const r = await fromDaemon(o, fail);
    if (typeof r === "number") return r;
    port = r.port;
  }
  let iccid: string;
  try {
    iccid = await resolveIccid({ ...o, ...(port !== undefined ? { port } : {}) });
  } catch (err) {
    return fail(
      isCellgateError(err, "CG_ERR_CLI_USAGE") || isCellgateError(err, "CG_ERR_API_CONFIG") ? SIM_EXIT.usage : SIM_EXIT.modem,
      err,
    );
  }
  let api;
  try {
    api = apiClientFromEnv(o, log);
  } catch (err) {
    return fail(SIM_EXIT.usage, err);
  }
  try {
    const view = await api.client.carrier.view(iccid);
    const partial = Object.keys(view.errors).length > 0;
    if (o.json)
      process.stdout.write(
        `${JSON.stringify({ iccid, provider: api.provider, baseUrl: api.baseUrl, fetchedAt: new Date().toISOString(), ...view }, null, 2)}\n`,
      );
    else process.stdout.write(formatSim(view));
    return partial ? SIM_EXIT.partial : SIM_EXIT.ok;
  } catch (err) {
    return fail(SIM_EXIT.api, err);
  } finally {
    await api.client.close();
  }
}

/** Prints the running daemon's view and returns the exit code, or the port to read when no daemon answers. */
async function fromDaemon(o: SimOptions, fail: (code: number, err: unknown) => number): Promise<number | { port: string }> {
  try {
    const via = await viaDaemon({ ...(o.socket ? { socket: o.socket } : {}) }, "sim", {});
    if ("direct" in via) return { port: via.direct };
    const { iccid, provider, baseUrl, fetchedAt, ...view } = via.daemon;
    if (o.json)
      process.stdout.write(`${JSON.stringify({ iccid, provider, baseUrl, fetchedAt, via: "daemon", ...view }, null, 2)}\n`);
    else process.stdout.write(formatSim(view));
    return Object.keys(view.errors).length > 0 ? SIM_EXIT.partial : SIM_EXIT.ok;
  } catch (err) {
    if (isCellgateError(err, "CG_ERR_CONTROL_UNREACHABLE"))
      return fail(
        SIM_EXIT.usage,
        new CellgateError(
          err.code,
          `${err.message}, or --iccid ICCID (with the API's credentials in the environment)`,
          err.detail,
        ),
      );
    if (isCellgateError(err, "CG_ERR_API_CONFIG")) return fail(SIM_EXIT.usage, err);
    if (isCellgateError(err, "CG_ERR_CONTROL_REQUEST") && err.detail.missing === "iccid") return fail(SIM_EXIT.modem, err);
    return fail(SIM_EXIT.api, err);
  }
}

/** --iccid, CELLGATE_SIM_ICCID, else the modem's own (read over --port / CELLGATE_MODEM_PORT). */
async function resolveIccid(o: SimOptions): Promise<string> {
  const given = o.iccid ?? (process.env.CELLGATE_SIM_ICCID || undefined);
  if (given !== undefined) return normalizeIccid(given);
  const path = o.port ?? (process.env.CELLGATE_MODEM_PORT || undefined);
  if (path === undefined)
    throw new CellgateError(
      "CG_ERR_CLI_USAGE",
      "no ICCID: pass --port PATH (or set CELLGATE_MODEM_PORT) to read it from the modem, or --iccid ICCID",
    );
  const engine = new AtEngine({
    link: await openSerialLink({ path, baudRate: parseIntOption("--baud", o.baud, 300, 4_000_000) }),
    log: cliLogger(),
  });
  try {
    const id = await new Modem({ port: engine }).init();
    if (id.iccid === null)
      throw new CellgateError("CG_ERR_MODEM_PARSE", `the modem on ${path} did not give an ICCID (no SIM, or a locked one)`);
    return normalizeIccid(id.iccid);
  } finally {
    await engine.close();
  }
}
