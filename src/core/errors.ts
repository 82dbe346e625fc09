/**
 * Coded errors. Every failure cellgate reports carries a stable `code` (match on it, not on
 * the class or the message) and, where there was one, the raw input that caused it.
 * The README's error table is checked against ERROR_CODES by a test.
 */
export const ERROR_CODES = {
  CG_ERR_AT_TIMEOUT: "the modem gave no final result code before the command's timeout",
  CG_ERR_AT_ERROR: "the modem answered ERROR (or COMMAND NOT SUPPORT, MODEM ERROR, NO CARRIER, BUSY…)",
  CG_ERR_AT_CME: "the modem answered +CME ERROR (equipment/network error); detail has the code and text",
  CG_ERR_AT_CMS: "the modem answered +CMS ERROR (SMS service error); detail has the code and text",
  CG_ERR_AT_PROMPT: "an SMS command did not get the `>` prompt",
  CG_ERR_AT_ABORTED: "the command was cancelled by its AbortSignal",
  CG_ERR_AT_CLOSED: "the AT engine or its port closed while the command was queued or in flight",
  CG_ERR_AT_INVALID: "the command text is not a single AT command line",
  CG_ERR_AT_FRAME: "the modem sent a line longer than the framer accepts (garbage on the line)",
  CG_ERR_LINK_OPEN: "the serial port could not be opened",
  CG_ERR_LINK_LOST: "the serial port went away (unplugged, EIO, device node gone)",
  CG_ERR_LINK_WRITE: "writing to the serial port failed",
  CG_ERR_MODEM_UNSUPPORTED: "the modem has none of the commands that read this (learned once per modem boot)",
  CG_ERR_MODEM_PARSE: "a modem reply did not have the documented form; detail.raw has the reply",
  CG_ERR_PDU_DECODE: "an SMS PDU is malformed; the message names the field and the octet, detail.raw has the PDU",
  CG_ERR_PDU_ENCODE: "an SMS cannot be encoded as asked (too long for one SMS, neither text nor data)",
  CG_ERR_SMS_STORAGE: "the modem's SMS storage cannot be used as needed (PDU mode refused, no usable memory)",
  CG_ERR_SMS_SEND: "an MO SMS could not be sent; detail.maybeSent says whether it may have left anyway",
  CG_ERR_STATE_IO: "the state directory could not be read or written (the path and the system error are in detail)",
  CG_ERR_API_CONFIG: "the Wireless API client is missing its base URL or credentials",
  CG_ERR_API_AUTH: "the Wireless API refused the credentials (401/403, or the OAuth token endpoint did); not retried",
  CG_ERR_API_HTTP: "the Wireless API answered an error; detail has the API's code, message, more_info and the HTTP status",
  CG_ERR_API_RATE_LIMIT: "the Wireless API kept answering 429 after the retries (Retry-After was honoured)",
  CG_ERR_API_UNAVAILABLE:
    "the Wireless API kept failing (5xx, connection refused/reset, timeout) after bounded, jittered retries",
  CG_ERR_API_RESPONSE: "a Wireless API answer did not have the documented shape; detail.raw has the body",
  CG_ERR_API_NOT_FOUND: "the SIM (or other resource) is not in the account",
  CG_ERR_CONFIG_READ: "the configuration file (or a *File it names) could not be read",
  CG_ERR_CONFIG_INVALID: "the configuration has problems; each is listed with the path of its key",
  CG_ERR_MQTT_PAYLOAD: "an MQTT message cellgate was asked to act on is not the documented JSON",
  CG_ERR_MQTT_REFUSED:
    "a commands/send request was not sent: it was a retained message, or its transaction was already sent (detail.reason)",
  CG_ERR_SMS_BUDGET: "the MO SMS budget of commands/send (mqtt.sendBudget, per hour and per day) is spent; not sent",
  CG_ERR_CONTROL_UNREACHABLE: "no daemon answers on the control socket (not running, or another socket path)",
  CG_ERR_CONTROL_REQUEST: "the running daemon refused or could not carry out a control request",
  CG_ERR_PTY_UNAVAILABLE: "no pseudo-terminal helper (socat or python3) is available for the simulator",
  CG_ERR_COMMAND_KEY: "the command key is missing, unreadable or shorter than 16 bytes",
  CG_ERR_COMMAND_SIGN: "a text cannot be signed as a Command (too long for one SMS with IncludeSid, not GSM 7-bit, empty)",
  CG_ERR_CLI_USAGE: "a command-line argument is missing or malformed",
  CG_ERR_CLI_INTERNAL: "an error without a code reached the command line (a bug: report it with the message)",
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export class CellgateError<C extends ErrorCode = ErrorCode> extends Error {
  constructor(
    readonly code: C,
    message: string,
    readonly detail: Readonly<Record<string, unknown>> = {},
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

export function isCellgateError<C extends ErrorCode>(err: unknown, code?: C): err is CellgateError<C> {
  return err instanceof CellgateError && (code === undefined || err.code === code);
}

/** Node system errors (`ENOENT`, `EIO`…) as a type guard, as balena-supervisor does. */
export function isErrno(err: unknown, code?: string): err is NodeJS.ErrnoException {
  return (
    err instanceof Error &&
    typeof (err as NodeJS.ErrnoException).code === "string" &&
    (code === undefined || (err as NodeJS.ErrnoException).code === code)
  );
}

/** A one-line description of anything thrown, for logs and CLI output. */
export function describeError(err: unknown): string {
  if (err instanceof CellgateError) return `${err.code}: ${err.message}`;
  if (err instanceof Error) return err.message;
  return String(err);
}
