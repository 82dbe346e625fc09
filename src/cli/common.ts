import { CellgateError, createLogger, isCellgateError, type Logger } from "../core/index.js";
// The client alone: the daemon's request schemas (zod) are not the CLI's to load.
import { controlRequest, socketAnswers } from "../runtime/client/index.js";
import type { ControlMethod, ControlParams, ControlResult } from "../runtime/index.js";

/** The modem port: --port, else CELLGATE_MODEM_PORT (the config file arrives with the daemon). */
export function resolvePort(flag: string | undefined): string {
  const port = flag ?? process.env.CELLGATE_MODEM_PORT;
  if (port === undefined || port === "") {
    throw new CellgateError(
      "CG_ERR_CLI_USAGE",
      "no modem port: pass --port PATH or set CELLGATE_MODEM_PORT (e.g. /dev/serial/by-id/usb-Quectel_…-if02-port0)",
    );
  }
  return port;
}

export function parseIntOption(name: string, value: string, min: number, max: number): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max) {
    throw new CellgateError("CG_ERR_CLI_USAGE", `${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(value)}`);
  }
  return n;
}

/** CLI commands log to stderr (stdout is their output), warnings only unless CELLGATE_LOG_LEVEL says otherwise. */
export function cliLogger(): Logger {
  return createLogger({ fd: 2, level: process.env.CELLGATE_LOG_LEVEL ?? "warn", format: logFormat() });
}

/** CELLGATE_LOG_FORMAT for the commands that have no configuration of their own (auto when unset or unknown). */
export function logFormat(): "auto" | "json" | "text" {
  const f = process.env.CELLGATE_LOG_FORMAT;
  return f === "json" || f === "text" ? f : "auto";
}

/** Where a running daemon listens: --socket, else CELLGATE_CONTROL_SOCKET, else the config file's control.socket. */
export async function controlSocket(flag: string | undefined): Promise<string> {
  if (flag) return flag;
  if (process.env.CELLGATE_CONTROL_SOCKET) return process.env.CELLGATE_CONTROL_SOCKET;
  // The one key, not the whole file checked: the schema (zod) is most of a status call's start-up.
  const { controlSocketSetting } = await import("../config/file/index.js");
  const set = controlSocketSetting(process.env);
  if (set !== undefined) return set ?? DEFAULT_SOCKET;
  const { checkConfig } = await import("../config/index.js");
  const r = checkConfig();
  return "config" in r ? r.config.control.socket : DEFAULT_SOCKET;
}

const DEFAULT_SOCKET = "/run/cellgate/control.sock";

/**
 * The modem belongs to the daemon while it runs: without --port a command goes through the
 * control socket. When no daemon answers (stopped to debug, or never installed), it opens the
 * modem itself: CELLGATE_MODEM_PORT if set, else the first port of the config's modem.port
 * (a path, a glob or a list, as the daemon resolves it) that exists.
 * Returns the daemon's answer, or `{ direct: path }` for the caller to open the port.
 */
export async function viaDaemon<M extends ControlMethod>(
  o: { port?: string; socket?: string; trace?: boolean },
  method: M,
  params: ControlParams<M>,
): Promise<{ daemon: ControlResult<M> } | { direct: string }> {
  if (o.port) return { direct: o.port };
  const socket = await controlSocket(o.socket);
  // The bytes --trace shows are those of a port this process opens; the daemon's stay in the daemon.
  if (o.trace && (await socketAnswers(socket)))
    throw new CellgateError(
      "CG_ERR_CLI_USAGE",
      `--trace shows the bytes on a port this command opens, but the daemon on ${socket} owns the modem: run without ` +
        `--trace, or stop the daemon and pass --port PATH`,
    );
  try {
    return { daemon: await controlRequest(socket, method, params) };
  } catch (err) {
    if (!isCellgateError(err, "CG_ERR_CONTROL_UNREACHABLE")) throw err;
    const env = process.env.CELLGATE_MODEM_PORT;
    if (env) return { direct: env };
    const [{ checkConfig }, { findPorts }] = await Promise.all([import("../config/index.js"), import("../modem/index.js")]);
    const r = checkConfig();
    const patterns = "config" in r ? [r.config.modem.port].flat() : [];
    const found = await findPorts(patterns);
    if (found[0] !== undefined) return { direct: found[0] };
    const why =
      "config" in r
        ? `no modem port found at ${patterns.join(", ")} (modem.port)`
        : "the configuration is not valid (cellgate config check)";
    throw new CellgateError(
      "CG_ERR_CONTROL_UNREACHABLE",
      `${err.message}, and ${why}; pass --port PATH (or set CELLGATE_MODEM_PORT) to open the modem directly`,
      err.detail,
    );
  }
}
