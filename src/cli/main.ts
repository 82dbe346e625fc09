#!/usr/bin/env node
import { Command, CommanderError } from "commander";
import { CellgateError } from "../core/index.js";
import { registerFor } from "./commands.js";
import { EXIT, reportError } from "./output.js";
import { VERSION } from "./version.js";

const program = new Command("cellgate")
  .description("edge agent for cellular IoT gateways (Twilio / KORE Programmable Wireless and Super SIM)")
  .version(VERSION)
  .exitOverride()
  // commander's own error line is replaced by the one every command prints (below).
  .configureOutput({ outputError: () => {} });

const json = process.argv.includes("--json");
try {
  await registerFor(program, process.argv.slice(2));
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError && err.exitCode === 0)
    process.exitCode = EXIT.ok; // --help, --version
  else if (err instanceof CommanderError) {
    // Anything commander refuses is a usage error, reported like every other error.
    // "commander.help": no (sub)command was given, and the help went to stderr.
    const what = err.code === "commander.help" ? "no command given" : err.message.replace(/^error: /, "");
    const message = `${what} (see cellgate --help, or cellgate COMMAND --help)`;
    process.exitCode = reportError(new CellgateError("CG_ERR_CLI_USAGE", message), json);
  } else process.exitCode = reportError(err, json);
}
