import {
  CellgateError,
  describeError,
  isCellgateError,
  silentLogger,
  sleep,
  systemClock,
  type Clock,
  type Logger,
} from "../core/index.js";
import { encodeSubmit, type Encoding } from "./pdu/index.js";
import { COMMAND_NUMBER, type Product } from "./types.js";

/** What sending needs of the modem (ModemSms has it). */
export interface SmsSender {
  send(pdu: { hex: string; tpduLength: number }, signal?: AbortSignal): Promise<number>;
}

export interface MoCommand {
  /** Text: up to 160 GSM 7-bit characters, or 70 UCS2 units. */
  text?: string;
  /** Binary: up to 140 bytes. */
  data?: Uint8Array;
}

export interface MoResult {
  mr: number;
  to: string;
  encoding: Encoding;
  pdu: string;
  attempts: number;
}

export interface MoOptions {
  sender: SmsSender;
  product: Product;
  clock?: Clock;
  log?: Logger;
  /** Sends tried at most (the first included). */
  attempts?: number;
  backoffMs?: number;
  signal?: AbortSignal;
}

// +CMS errors after which the SMS did not leave and a later try may work (27.005 and the
// vendor 512-514 "lower layer" failures, smstools3's table), and +CME "no network"/"SIM busy".
const TRANSIENT_CMS = new Set([314, 331, 332, 500, 512, 513, 514]);
const TRANSIENT_CME = new Set([14, 30, 31]);

function notSentAndTransient(err: unknown): boolean {
  if (isCellgateError(err, "CG_ERR_AT_CMS")) return TRANSIENT_CMS.has(err.detail.errorCode as number);
  if (isCellgateError(err, "CG_ERR_AT_CME")) return TRANSIENT_CME.has(err.detail.errorCode as number);
  // No prompt (or the modem not answering before the PDU was written): nothing left.
  if (isCellgateError(err, "CG_ERR_AT_TIMEOUT")) return err.detail.phase === "prompt" || err.detail.phase === "resync";
  return isCellgateError(err, "CG_ERR_AT_PROMPT") || isCellgateError(err, "CG_ERR_LINK_LOST");
}

/** The SUBMIT PDU of an MO Command; CG_ERR_PDU_ENCODE when it does not fit one SMS (checked before any port is touched). */
export function encodeMo(cmd: MoCommand, product: Product): ReturnType<typeof encodeSubmit> {
  return encodeSubmit({
    to: COMMAND_NUMBER[product],
    ...(cmd.text !== undefined ? { text: cmd.text } : {}),
    ...(cmd.data !== undefined ? { data: cmd.data } : {}),
  });
}

/**
 * A Mobile-Originated Command to 2936 (Programmable Wireless) or 000 (Super SIM), in PDU mode.
 * Too-long input is refused before anything is written (CG_ERR_PDU_ENCODE); transient
 * failures are retried with a growing, jittered wait; a timeout after the PDU was written is
 * not retried (it may have been sent) and says so.
 */
export async function sendMoSms(cmd: MoCommand, o: MoOptions): Promise<MoResult> {
  const to = COMMAND_NUMBER[o.product];
  const pdu = encodeMo(cmd, o.product);
  const clock = o.clock ?? systemClock;
  const log = (o.log ?? silentLogger).child({ mod: "mo" });
  const attempts = o.attempts ?? 4;
  for (let attempt = 1; ; attempt++) {
    try {
      const mr = await o.sender.send(pdu, o.signal);
      log.info({ to, mr, attempt, encoding: pdu.encoding }, "MO Command sent");
      return { mr, to, encoding: pdu.encoding, pdu: pdu.hex, attempts: attempt };
    } catch (err) {
      const maybeSent = isCellgateError(err, "CG_ERR_AT_TIMEOUT") && err.detail.phase === "final";
      if (attempt >= attempts || !notSentAndTransient(err)) {
        throw new CellgateError(
          "CG_ERR_SMS_SEND",
          `MO Command to ${to} not sent after ${attempt} attempt(s): ` +
            `${describeError(err)}${maybeSent ? " (it may have been sent: the modem did not answer after the PDU)" : ""}`,
          { to, attempts: attempt, maybeSent, pdu: pdu.hex },
          { cause: err },
        );
      }
      const wait = (o.backoffMs ?? 2000) * 2 ** (attempt - 1) * (0.75 + Math.random() * 0.5);
      log.warn({ attempt, wait: Math.round(wait), err: describeError(err) }, "MO Command failed; retrying");
      await sleep(wait, clock, o.signal);
    }
  }
}
