#!/usr/bin/env node
import { Command, CommanderError } from "commander";
import { describeError, isCellgateError } from "../core/index.js";
import { registerAt } from "./at.js";
import { EXIT } from "./common.js";
import { registerConfig } from "./config.js";
import { registerDemo } from "./demo.js";
import { registerPdu } from "./pdu.js";
import { registerRun } from "./run.js";
import { registerSend } from "./send.js";
import { registerSim } from "./sim.js";
import { registerSign } from "./sign.js";
import { registerSimulate } from "./simulate.js";
import { registerStatus } from "./status.js";
import { VERSION } from "./version.js";

const program = new Command("cellgate")
  .description("edge agent for cellular IoT gateways (Twilio / KORE Programmable Wireless and Super SIM)")
  .version(VERSION)
  .exitOverride()
  .showHelpAfterError();

registerRun(program);
registerAt(program);
registerStatus(program);
registerSim(program);
registerSend(program);
registerSign(program);
registerPdu(program);
registerConfig(program);
registerSimulate(program);
registerDemo(program);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    // Help and version exit 0; anything commander refuses is a usage error.
    process.exitCode = err.exitCode === 0 ? 0 : EXIT.usage;
  } else {
    process.stderr.write(`cellgate: ${describeError(err)}\n`);
    process.exitCode = isCellgateError(err, "CG_ERR_CLI_USAGE") ? EXIT.usage : EXIT.portError;
  }
}
