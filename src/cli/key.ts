import type { Command } from "commander";
import { commandKey } from "../commands/index.js";
import { CellgateError, isCellgateError, readSecret } from "../core/index.js";
import { deriveGatewayKey, iccidForKey } from "../remote/index.js";
import { action, EXIT, printResult } from "./output.js";

interface DeriveOptions {
  iccid: string;
  fleetKeyFile?: string;
  json?: boolean;
}

/**
 * `cellgate key derive --iccid X`: the command key of the gateway whose SIM has this ICCID,
 * derived from the fleet key (HKDF-SHA256), to provision as that gateway's COMMAND_KEY. The
 * operator keeps the fleet key; the gateway gets only its own.
 */
export function registerKey(program: Command): void {
  const key = program.command("key").description("command keys for a fleet");
  key
    .command("derive")
    .description("print the command key of the gateway with this ICCID, derived from the fleet key")
    .requiredOption("--iccid <iccid>", "the ICCID of the gateway's SIM (19 or 20 digits, as the modem or the API gives it)")
    .option("--fleet-key-file <file>", "the fleet key (default: the FLEET_KEY credential, then CELLGATE_FLEET_KEY)")
    .option("--json", "print {iccid, key} as JSON")
    .action(
      action((o: DeriveOptions) => {
        let iccid: string;
        try {
          iccid = iccidForKey(o.iccid);
        } catch (err) {
          throw isCellgateError(err) ? new CellgateError("CG_ERR_CLI_USAGE", `--iccid: ${err.message}`) : err;
        }
        const derived = deriveGatewayKey(fleetKey(o.fleetKeyFile, process.env), iccid);
        printResult(o.json === true, { iccid, key: derived }, () => `${derived}\n`);
        return EXIT.ok;
      }),
    );
}

/** The fleet key: --fleet-key-file, else $CREDENTIALS_DIRECTORY/FLEET_KEY, else CELLGATE_FLEET_KEY; at least 16 bytes. */
export function fleetKey(file: string | undefined, env: NodeJS.ProcessEnv): Buffer {
  let secret: string | undefined;
  try {
    secret = readSecret("FLEET_KEY", { env, ...(file ? { file } : {}) });
  } catch (err) {
    if (!isCellgateError(err, "CG_ERR_CONFIG_READ")) throw err;
    throw new CellgateError("CG_ERR_COMMAND_KEY", err.message, err.detail, { cause: err });
  }
  if (secret === undefined)
    throw new CellgateError(
      "CG_ERR_COMMAND_KEY",
      "no fleet key: pass --fleet-key-file, or set CELLGATE_FLEET_KEY (or the FLEET_KEY credential)",
    );
  return commandKey(secret, file ?? "the fleet key");
}
