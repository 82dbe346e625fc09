import type { Command } from "commander";
import { checkArgs, commandKey, isVerb, parseCommand, signText, VERBS } from "../commands/index.js";
import { CellgateError, isCellgateError, readSecret } from "../core/index.js";
import { gsm7Length } from "../sms/pdu/index.js";
import { action, EXIT, printResult } from "./output.js";

interface SignOptions {
  keyFile?: string;
  at?: string;
  requestId?: string;
  json?: boolean;
}

/**
 * `cellgate sign "VERB ARGS" [--key-file F]`: the signed text an operator sends with
 * POST /v1/Commands. The key comes from --key-file, else $CREDENTIALS_DIRECTORY/COMMAND_KEY,
 * else CELLGATE_COMMAND_KEY; it is never printed.
 */
export function registerSign(program: Command): void {
  program
    .command("sign")
    .description("print the signed text of a Command (send it with POST /v1/Commands)")
    .argument("<command>", `the Command: VERB [ARGS], VERB one of ${VERBS.join(", ")}`)
    .option("--key-file <file>", "the gateway's command key (default: the COMMAND_KEY credential, then CELLGATE_COMMAND_KEY)")
    .option("--at <time>", "sign for this time (ISO 8601) instead of now")
    .option("--request-id <id>", "a request id (1-8 of 0-9 a-z) the gateway echoes at the start of its reply: #ID …")
    .option("--json", "print {text} as JSON")
    .action(
      action((text: string, o: SignOptions) => {
        const signed = sign(text, o, process.env);
        printResult(o.json === true, { text: signed }, () => `${signed}\n`);
        return EXIT.ok;
      }),
    );
}

// The gateway's reboot token is in its configuration (commands.reboot.confirm), not here: any token of that form passes.
const TOKEN = /^[A-Za-z0-9_-]{4,32}$/;

export function sign(text: string, o: SignOptions, env: NodeJS.ProcessEnv): string {
  checkCommand(text);
  const at = o.at === undefined ? Date.now() : Date.parse(o.at);
  if (Number.isNaN(at)) throw new CellgateError("CG_ERR_CLI_USAGE", `--at ${JSON.stringify(o.at)} is not an ISO 8601 time`);
  const secret = keySecret(o, env);
  if (secret === undefined)
    throw new CellgateError("CG_ERR_COMMAND_KEY", "no command key: pass --key-file, or set CELLGATE_COMMAND_KEY");
  return signText(commandKey(secret, o.keyFile ?? "the environment"), text, at, (s) => gsm7Length(s), o.requestId);
}

/** A Command the gateway would refuse for its verb or its arguments is not worth an SMS: refused here, before it is signed. */
export function checkCommand(text: string): void {
  const { verb, args } = parseCommand(text);
  if (!isVerb(verb))
    throw new CellgateError("CG_ERR_COMMAND_SIGN", `${JSON.stringify(verb)} is not a verb (${VERBS.join(", ")})`, { verb });
  const check = checkArgs(verb, args, { rebootToken: verb === "reboot" && TOKEN.test(args[0] ?? "") ? args[0]! : "CONFIRM" });
  if (!check.ok)
    throw new CellgateError(
      "CG_ERR_COMMAND_SIGN",
      verb === "reboot"
        ? `reboot ${check.why}: sign "reboot CONFIRM" (the word in the gateway's commands.reboot.confirm)`
        : `${verb}: ${check.why}`,
      { verb },
    );
}

/** The key's text; a --key-file that cannot be read is a key problem (CG_ERR_COMMAND_KEY), as docs/cli.md says. */
function keySecret(o: SignOptions, env: NodeJS.ProcessEnv): string | undefined {
  try {
    return readSecret("COMMAND_KEY", { env, ...(o.keyFile ? { file: o.keyFile } : {}) });
  } catch (err) {
    if (!isCellgateError(err, "CG_ERR_CONFIG_READ")) throw err;
    throw new CellgateError("CG_ERR_COMMAND_KEY", err.message, err.detail, { cause: err });
  }
}
