import { describeError, isCellgateError, type Logger } from "../core/index.js";
import type { CommandSendHandler, Incoming } from "./link-types.js";
import type { SendLedger } from "./send-ledger.js";
import { parseCommandSend, type CommandSentPayload, type Stamp } from "./topics.js";

export interface CommandSendDeps {
  handler: CommandSendHandler;
  /** Publishes the answer on commands/sent (QoS 1, through the outbox when the broker is away). */
  publishQueued: (payload: Omit<CommandSentPayload, keyof Stamp>) => Promise<unknown>;
  ledger: SendLedger | undefined;
  log: Logger;
}

/**
 * A request on commands/send: refused when retained (it would be sent again on every
 * subscribe), malformed, a transaction already sent, or over the budget; else sent once.
 * Every outcome is answered on commands/sent.
 */
export function commandSendListener(d: CommandSendDeps): (m: Incoming) => Promise<void> {
  const answer = async (
    transaction: string | null,
    r: NonNullable<CommandSentPayload["data"]> | { code: string; message: string },
  ) => {
    const payload =
      "code" in r ? { status: "error" as const, transaction, error: r } : { status: "ok" as const, transaction, data: r };
    await d
      .publishQueued(payload)
      .catch((err: unknown) => d.log.error({ err: describeError(err) }, "commands/sent not published"));
  };
  return async (m) => {
    const text = m.payload.toString("utf8");
    if (m.retain) {
      d.log.warn("commands/send: a retained request is not sent");
      return answer(transactionOf(text), {
        code: "CG_ERR_MQTT_REFUSED",
        message: "a retained request is not sent (it would be sent again on every subscribe): publish it with retain false",
      });
    }
    const req = parseCommandSend(text);
    if ("error" in req) {
      d.log.warn({ error: req.error }, "commands/send: refused");
      return answer(transactionOf(text), { code: "CG_ERR_MQTT_PAYLOAD", message: req.error });
    }
    const tx = req.transaction ?? null;
    let finish: ((o: "sent" | "not-sent") => Promise<void>) | undefined;
    try {
      if (d.ledger) finish = (await d.ledger.admit(req)).finish;
      const data = await d.handler(req);
      await finish?.("sent").catch((err: unknown) => d.log.error({ err: describeError(err) }, "send ledger not updated"));
      await answer(tx, data);
    } catch (err) {
      const notSent = finish !== undefined && !(isCellgateError(err) && err.detail.maybeSent === true);
      if (notSent) await finish!("not-sent").catch(() => {});
      const code: string = isCellgateError(err) ? err.code : "CG_ERR_SMS_SEND";
      d.log.warn({ code, transaction: tx }, "commands/send: not sent");
      await answer(tx, { code, message: err instanceof Error ? err.message : String(err) });
    }
  };
}

/** The `transaction` of a request that is otherwise refused (so the answer can still be matched). */
export function transactionOf(text: string): string | null {
  try {
    const t = (JSON.parse(text) as { transaction?: unknown }).transaction;
    return typeof t === "string" ? t : null;
  } catch {
    return null;
  }
}
