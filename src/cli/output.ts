import type { Command } from "commander";
import { isCellgateError, type ErrorCode } from "../core/index.js";

/**
 * The one exit-code table of every command (docs/cli.md "Output and exit codes"), after sysexits.h
 * where a code has a meaning there, so scripts can tell "the answer is no" from "I could not ask".
 */
export const EXIT = {
  /** Done; for `status`, the verdict is ok. */
  ok: 0,
  /** Done, and the answer is no: status degraded, the modem answered an error, not sent, malformed, problems found. */
  no: 1,
  /** `status`: down. */
  down: 2,
  /** `status`: unknown (the modem's essentials could not be read). */
  unknown: 3,
  /** The command line is wrong: unknown command or option, a missing or malformed argument. */
  usage: 64,
  /** What the command needs cannot be reached: no daemon and no modem port, the port, the modem, the API. */
  unavailable: 69,
  /** A bug: an error without a code. */
  software: 70,
  /** The configuration, a credential or the command key is missing or unusable. */
  config: 78,
} as const;

const BY_CODE: Partial<Record<ErrorCode, number>> = {
  CG_ERR_CLI_USAGE: EXIT.usage,
  CG_ERR_AT_INVALID: EXIT.usage,
  CG_ERR_PDU_ENCODE: EXIT.usage,
  CG_ERR_COMMAND_SIGN: EXIT.usage,
  CG_ERR_CONFIG_READ: EXIT.config,
  CG_ERR_CONFIG_INVALID: EXIT.config,
  CG_ERR_COMMAND_KEY: EXIT.config,
  CG_ERR_API_CONFIG: EXIT.config,
  CG_ERR_API_AUTH: EXIT.config,
  CG_ERR_STATE_IO: EXIT.config,
  CG_ERR_AT_ERROR: EXIT.no,
  CG_ERR_AT_CME: EXIT.no,
  CG_ERR_AT_CMS: EXIT.no,
  CG_ERR_AT_PROMPT: EXIT.no,
  CG_ERR_SMS_SEND: EXIT.no,
  CG_ERR_SMS_STORAGE: EXIT.no,
  CG_ERR_PDU_DECODE: EXIT.no,
  CG_ERR_MODEM_PARSE: EXIT.no,
  CG_ERR_API_NOT_FOUND: EXIT.no,
  CG_ERR_MQTT_PAYLOAD: EXIT.no,
};

/** The exit code for an error: by its code (what is not listed is "unavailable"), 70 for one without a code. */
export function exitFor(err: unknown): number {
  if (!isCellgateError(err)) return EXIT.software;
  return BY_CODE[err.code] ?? EXIT.unavailable;
}

/** The error as the JSON rule prints it: `{code, message}`, plus what a caller may need (`problems`). */
export function errorObject(err: unknown): { code: string; message: string; [k: string]: unknown } {
  if (!isCellgateError(err)) return { code: "CG_ERR_CLI_INTERNAL", message: err instanceof Error ? err.message : String(err) };
  const problems = err.detail.problems;
  return { code: err.code, message: err.message, ...(Array.isArray(problems) ? { problems } : {}) };
}

/**
 * Reports an error by the rule: one line `cellgate: CODE: message` on stderr (for a person),
 * and with --json the error document `{"error":{"code","message"}}` as the whole of stdout.
 * Returns the exit code.
 */
export function reportError(err: unknown, json: boolean): number {
  const e = errorObject(err);
  process.stderr.write(`cellgate: ${e.code}: ${e.message}\n`);
  if (json) process.stdout.write(`${JSON.stringify({ error: e })}\n`);
  return exitFor(err);
}

/** The result: with --json one JSON document on stdout, else the human text. */
export function printResult(json: boolean, result: unknown, human: () => string): void {
  process.stdout.write(json ? `${JSON.stringify(result, null, 2)}\n` : human());
}

/**
 * A command's action under the rule: it returns its exit code or throws, and a thrown error is
 * reported as `reportError` says (with --json when the command has it and it was given).
 */
export function action<A extends unknown[]>(fn: (...args: A) => Promise<number> | number): (...args: A) => Promise<void> {
  return async (...args: A) => {
    const cmd = args.at(-1) as Command;
    try {
      process.exitCode = await fn(...args);
    } catch (err) {
      process.exitCode = reportError(err, cmd.opts<{ json?: boolean }>().json === true);
    }
  };
}
