import type { Clock, Logger } from "../core/index.js";
import type { Decision, RejectReason } from "./authenticate.js";
import { echoed, fitReply, type Septets } from "./reply.js";
import type { Admission } from "./types.js";

type Rejected = Extract<Decision, { accept: false }>;

const HOUR = 3_600_000;

/** The processor's options that concern rejections (see ProcessorOptions). */
export interface RejectionOptions {
  audit?: ((type: string, detail: string, extra: Record<string, unknown>) => Promise<void>) | undefined;
  event: (type: string, detail: string, extra?: Record<string, unknown>) => void;
  nakTemplate: string;
  naksPerHour: number;
  unauthenticated: "nak" | "publish-only";
  septets: Septets;
  clock: Clock;
  log: Logger;
  /** Sends one reply (the NAK). */
  send: (text: string) => Promise<void>;
}

/**
 * What becomes of a Command that may not run: audited on `events` durably before the hand-off
 * completes, then answered with the NAK — only when it was addressed to cellgate from the
 * Command short code, and at most `naksPerHour` an hour (each NAK is an SMS someone pays for).
 */
export class Rejections {
  readonly #o: RejectionOptions;
  #naks: number[] = [];

  constructor(o: RejectionOptions) {
    this.#o = o;
  }

  /**
   * A rejection is on `events` before the hand-off completes (so before the SMS is deleted): the
   * audit event is durable like `commands/received` (PUBACK, or fsynced in the outbox). When it
   * cannot be, the admission fails and the inbox keeps the SMS.
   */
  async audited(a: Admission): Promise<Admission> {
    const d = a.decision;
    if (d === null || d.accept) return a;
    const verb = rejectedVerb(d);
    const extra = {
      reason: d.reason,
      verb,
      sender: a.msg.sender,
      id: a.msg.id,
      sid: a.msg.sid ?? null,
      signed: d.signed,
      clock: a.clock,
    };
    const detail = `${verb} rejected (${d.reason}): ${d.why}`;
    if (this.#o.audit) await this.#o.audit("command-rejected", detail, extra);
    else this.#o.event("command-rejected", detail, extra);
    return a;
  }

  /** After the hand-off: the NAK, when one is owed. */
  async answer(d: Rejected): Promise<void> {
    // A NAK is an MO SMS to 2936 / 000: for a foreign sender it would reach nobody who sent it, and cost one.
    if (d.reason === "foreign") return;
    // A signed Command was meant for cellgate: its sender hears why. An unsigned verb is answered unless publish-only.
    if (!d.signed && this.#o.unauthenticated === "publish-only") return;
    await this.#nak(rejectedVerb(d), d.reason, d.rid);
  }

  async #nak(verb: string, reason: RejectReason, rid: string | undefined): Promise<void> {
    const now = this.#o.clock.now();
    this.#naks = this.#naks.filter((t) => now - t < HOUR);
    if (this.#naks.length >= this.#o.naksPerHour) {
      this.#o.log.warn({ verb, reason }, "NAK not sent: the hourly limit is reached");
      return;
    }
    this.#naks.push(now);
    const text = this.#o.nakTemplate.replaceAll("{verb}", verb.slice(0, 20)).replaceAll("{reason}", reason);
    await this.#o.send(echoed(rid, (max) => fitReply(text, [], this.#o.septets, max)));
  }
}

function rejectedVerb(d: Rejected): string {
  return d.verb ?? (d.reason === "foreign" ? "sms" : "?");
}
